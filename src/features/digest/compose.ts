import { type GoalStatus, goalStatusLabels } from '../../shared/goals.ts';
import { ladderLevelLabels, ladderLevels } from '../../shared/listening.ts';
import type { DigestActivity, DigestItem } from './activity.ts';
import { biggestMovers, type GoalDigestEntry, type TargetValue } from './evaluate.ts';

export interface DigestRecipient {
  id: string;
  name: string;
  email: string;
  role: string;
}

export interface DigestMail {
  subject: string;
  text: string;
}

const statusLabel = (status: GoalStatus | null) => (status ? goalStatusLabels[status] : 'not evaluated yet');

function valueText(value: TargetValue['value'], unit: string): string {
  if (value === null) return 'no data';
  const rounded = Math.round(value * 100) / 100;
  return unit === 'percent' ? `${rounded}%` : unit === 'minutes' ? `${rounded} min` : String(rounded);
}

/** The goals a recipient hears about: executives all of them, others the ones they own. */
export function goalsFor(recipient: DigestRecipient, entries: GoalDigestEntry[]): GoalDigestEntry[] {
  return recipient.role === 'executive'
    ? entries
    : entries.filter((entry) => entry.goal.ownerId === recipient.id);
}

/** The plain-text weekly digest for one recipient. */
export function composeDigest(
  recipient: DigestRecipient,
  week: string,
  entries: GoalDigestEntry[],
  activity: DigestActivity,
  baseUrl: string,
): DigestMail {
  const goals = goalsFor(recipient, entries);
  const goalLink = (id: string) => `${baseUrl}/goals/${id}`;
  const itemLine = (item: DigestItem) =>
    `  - #${item.ref} ${item.subject} (${item.detail})\n    ${baseUrl}/items/${item.id}`;
  const lines: string[] = [
    `Hello ${recipient.name},`,
    '',
    `Your Rapport digest for the week of ${week}.`,
    recipient.role === 'executive' ? 'As an executive you see every goal.' : 'You see the goals you own.',
    '',
  ];

  lines.push('GOALS WHOSE STATUS CHANGED', '');
  const changed = goals.filter((entry) => entry.changed);
  if (changed.length === 0) lines.push('  No status changes this week.');
  for (const entry of changed) {
    lines.push(
      `  - ${entry.goal.title}: ${statusLabel(entry.previousStatus)} → ${statusLabel(entry.status)}`,
      `    ${goalLink(entry.goal.id)}`,
    );
  }

  lines.push('', 'BIGGEST MOVERS (progress from baseline to target since last week)', '');
  const movers = biggestMovers(goals);
  if (movers.length === 0) lines.push('  Nothing moved, or no earlier evaluation to compare with.');
  for (const mover of movers) {
    const points = Math.round(mover.delta * 100);
    lines.push(
      `  - ${mover.goal.title} · ${mover.target.label}: ${valueText(mover.before.value, mover.target.unit)} → ` +
        `${valueText(mover.target.value, mover.target.unit)} (target ${valueText(mover.target.targetValue, mover.target.unit)}; ` +
        `${points > 0 ? `${points} points towards` : `${-points} points away from`} the target)`,
      `    ${goalLink(mover.goal.id)}`,
    );
  }

  lines.push('', 'ALL YOUR GOALS', '');
  if (goals.length === 0) lines.push('  No goals to report.');
  for (const entry of goals) {
    lines.push(
      entry.error
        ? `  - ${entry.goal.title}: could not be evaluated (${entry.error})`
        : `  - ${entry.goal.title}: ${statusLabel(entry.status)}`,
    );
  }

  lines.push('', 'SLA BREACHES IN THE LAST 7 DAYS', '');
  lines.push(`  ${activity.breaches.count} item${activity.breaches.count === 1 ? '' : 's'} breached an SLA.`);
  if (activity.breaches.worst.length > 0)
    lines.push('  The worst:', ...activity.breaches.worst.map(itemLine));

  lines.push('', 'ESCALATIONS IN THE LAST 7 DAYS', '');
  lines.push(`  ${activity.escalations.count} escalation${activity.escalations.count === 1 ? '' : 's'}.`);
  const byLevel = ladderLevels
    .filter((level) => activity.escalations.byLevel[level] > 0)
    .map((level) => `${ladderLevelLabels[level]}: ${activity.escalations.byLevel[level]}`);
  if (byLevel.length > 0) lines.push(`  By level: ${byLevel.join(', ')}.`);
  if (activity.escalations.toExecutive.length > 0) {
    lines.push('  Escalated to executive:', ...activity.escalations.toExecutive.map(itemLine));
  }

  lines.push(
    '',
    '--',
    `Goals: ${baseUrl}/goals`,
    `You receive this weekly digest because you ${recipient.role === 'executive' ? 'are an executive' : 'own goals'} in Rapport.`,
    `Turn it off under My account: ${baseUrl}/settings/account`,
  );
  const changes = changed.length
    ? `${changed.length} status change${changed.length === 1 ? '' : 's'}`
    : 'no status changes';
  return { subject: `Rapport weekly digest, week of ${week}: ${changes}`, text: `${lines.join('\n')}\n` };
}
