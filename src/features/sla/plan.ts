import {
  type ItemKind,
  type ItemStatus,
  type LadderLevel,
  ladderRank,
  type Priority,
} from '../../shared/listening.ts';
import { addBusinessMinutes } from './calendar.ts';
import { type EscalationRuleSetting, type SlaSettings, targetsFor } from './settings.ts';

/** The columns of an item that its SLA depends on. */
export interface SlaItemState {
  kind: ItemKind;
  priority: Priority;
  status: ItemStatus;
  created_at: Date;
  first_responded_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  merged_into_id: string | null;
  sla_paused_at: Date | null;
  sla_paused_minutes: number;
  first_response_breached_at: Date | null;
  resolution_breached_at: Date | null;
  sla_warned_at: Date | null;
  escalation_level: LadderLevel;
}

/**
 * Where a target stands: `running` (clock ticking), `paused`, `met` (in time), `late` (met after
 * its due time and not yet recorded as breached), `stopped` (closed/merged unmet) or `none`.
 */
export type TargetState = 'running' | 'paused' | 'met' | 'late' | 'stopped' | 'none';

export interface TargetPlan {
  dueAt: Date | null;
  /** When the owner is warned (null: no warning for this target). */
  warnAt: Date | null;
  state: TargetState;
  breached: boolean;
}

export interface SlaPlan {
  firstResponse: TargetPlan;
  resolution: TargetPlan;
  /** resolution_overdue rules that can still raise the item, with the moment they fire. */
  overdue: { rule: EscalationRuleSetting; at: Date }[];
}

/** Statuses in which the SLA clocks stand still. */
export const pausedStatuses: readonly ItemStatus[] = ['waiting_on_customer', 'resolved', 'closed'];

export const isTerminal = (item: Pick<SlaItemState, 'status' | 'merged_into_id'>) =>
  item.status === 'closed' || item.merged_into_id !== null;

function targetPlan(
  settings: SlaSettings,
  item: SlaItemState,
  minutes: number | null,
  metAt: Date | null,
  breachedAt: Date | null,
): TargetPlan {
  if (minutes === null) return { dueAt: null, warnAt: null, state: 'none', breached: breachedAt !== null };
  const total = minutes + item.sla_paused_minutes;
  const dueAt = addBusinessMinutes(settings.calendar, item.created_at, total);
  // Short targets are warned about halfway rather than at once.
  const lead = Math.min(settings.warnBeforeMinutes, Math.floor(total / 2));
  const warnAt = lead > 0 ? addBusinessMinutes(settings.calendar, item.created_at, total - lead) : null;
  let state: TargetState;
  if (metAt) state = metAt.getTime() > dueAt.getTime() && breachedAt === null ? 'late' : 'met';
  else if (isTerminal(item)) state = 'stopped';
  else if (item.sla_paused_at !== null) state = 'paused';
  else state = 'running';
  return { dueAt, warnAt, state, breached: breachedAt !== null };
}

/**
 * The SLA of an item under the workspace settings: due times from `created_at` (business
 * time, moved out by the paused minutes), what each target's clock is doing, and the moments
 * at which overdue rules would escalate. Pure: the refresh and the sweep both use it.
 */
export function planSla(settings: SlaSettings, item: SlaItemState): SlaPlan {
  const targets = targetsFor(settings, item.kind, item.priority);
  const firstResponse = targetPlan(
    settings,
    item,
    targets.firstResponseMinutes,
    item.first_responded_at,
    item.first_response_breached_at,
  );
  const resolvedAt =
    item.status === 'resolved' || item.status === 'closed' ? (item.resolved_at ?? item.closed_at) : null;
  const resolution = targetPlan(
    settings,
    item,
    targets.resolutionMinutes,
    resolvedAt,
    item.resolution_breached_at,
  );
  const overdue: SlaPlan['overdue'] = [];
  if (resolution.state === 'running' && targets.resolutionMinutes !== null) {
    for (const rule of settings.rules) {
      if (rule.trigger !== 'resolution_overdue' || !rule.factor) continue;
      if (ladderRank(rule.level) <= ladderRank(item.escalation_level)) continue;
      const minutes = Math.ceil(targets.resolutionMinutes * rule.factor) + item.sla_paused_minutes;
      overdue.push({ rule, at: addBusinessMinutes(settings.calendar, item.created_at, minutes) });
    }
  }
  return { firstResponse, resolution, overdue };
}

/**
 * The next moment the sweep has to look at the item: a warning, a breach, a late target to
 * record, or an overdue escalation. Null when nothing more can happen until the item changes.
 * With `after`, only moments later than it count (the sweep has just handled the rest).
 */
export function nextCheckAt(plan: SlaPlan, item: SlaItemState, after?: Date): Date | null {
  const moments: Date[] = [];
  for (const target of [plan.firstResponse, plan.resolution]) {
    if (!target.dueAt || target.breached) continue;
    if (target.state === 'late') moments.push(target.dueAt);
    if (target.state !== 'running') continue;
    moments.push(target.dueAt);
    if (needsWarning(target, item)) moments.push(target.warnAt!);
  }
  for (const overdue of plan.overdue) moments.push(overdue.at);
  const times = moments.map((moment) => moment.getTime()).filter((time) => !after || time > after.getTime());
  return times.length === 0 ? null : new Date(Math.min(...times));
}

/**
 * A running target is warned about once: the item's last warning (sla_warned_at) is on or after
 * the target's warning time. The first-response warning thus does not silence the later one
 * for the resolution.
 */
export function needsWarning(target: TargetPlan, item: Pick<SlaItemState, 'sla_warned_at'>): boolean {
  if (target.state !== 'running' || target.breached || !target.warnAt) return false;
  return item.sla_warned_at === null || item.sla_warned_at.getTime() < target.warnAt.getTime();
}
