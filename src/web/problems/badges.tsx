import { Anchor, Badge, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import {
  type Item,
  type ItemStatus,
  itemStatusLabels,
  type LadderLevel,
  ladderLevelLabels,
} from '../../shared/listening.ts';
import { type ProblemStatus, problemStatusLabels } from '../../shared/problems.ts';
import { formatDate } from '../app/ui.tsx';

const problemColors: Record<ProblemStatus, string> = {
  investigating: 'yellow',
  identified: 'orange',
  fix_in_progress: 'blue',
  fixed: 'teal',
};

export function ProblemStatusBadge({ status }: { status: ProblemStatus }) {
  return (
    <Badge color={problemColors[status]} variant="light">
      {problemStatusLabels[status]}
    </Badge>
  );
}

const itemColors: Record<ItemStatus, string> = {
  new: 'blue',
  acknowledged: 'cyan',
  in_progress: 'indigo',
  waiting_on_customer: 'grape',
  resolved: 'teal',
  closed: 'gray',
  reopened: 'orange',
};

export function ItemStatusBadge({ status }: { status: ItemStatus }) {
  return (
    <Badge color={itemColors[status]} variant="light" style={{ whiteSpace: 'nowrap' }}>
      {itemStatusLabels[status]}
    </Badge>
  );
}

const levelColors: Record<LadderLevel, string> = {
  agent: 'gray',
  lead: 'yellow',
  manager: 'orange',
  executive: 'red',
};

export function LevelBadge({ level }: { level: LadderLevel }) {
  return (
    <Badge color={levelColors[level]} variant="filled">
      {ladderLevelLabels[level]}
    </Badge>
  );
}

/** "2h", "3 d", "45 min": the size of a time span, for "breaching in …" texts. */
export function span(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.round(hours / 24)} d`;
}

/** The item's SLA in a few words: the nearest due time that is still running, or the breach. */
export function slaState(item: Item, now: number): { text: string; color: string; due: string | null } {
  if (item.status === 'closed' || item.status === 'resolved') {
    const breached = item.resolutionBreachedAt ?? item.firstResponseBreachedAt;
    return breached
      ? { text: 'Breached (done)', color: 'gray', due: breached }
      : { text: 'Done', color: 'gray', due: null };
  }
  if (item.slaPausedAt) return { text: 'Paused: waiting on customer', color: 'grape', due: null };
  const breachedAt = [item.firstResponseBreachedAt, item.resolutionBreachedAt]
    .filter((value): value is string => value !== null)
    .sort()[0];
  if (breachedAt)
    return { text: `Breached ${span(now - Date.parse(breachedAt))} ago`, color: 'red', due: breachedAt };
  const dues = [item.firstRespondedAt ? null : item.firstResponseDueAt, item.resolutionDueAt]
    .filter((value): value is string => value !== null)
    .sort();
  const due = dues[0];
  if (!due) return { text: 'No target', color: 'gray', due: null };
  const left = Date.parse(due) - now;
  if (left <= 0) return { text: `Breached ${span(left)} ago`, color: 'red', due };
  return { text: `Breaching in ${span(left)}`, color: left < 2 * 3_600_000 ? 'orange' : 'teal', due };
}

export function SlaText({ item, now = Date.now() }: { item: Item; now?: number }) {
  const state = slaState(item, now);
  const text = (
    <Text
      size="sm"
      c={state.color === 'gray' ? 'dimmed' : state.color}
      fw={state.color === 'red' ? 600 : 400}
    >
      {state.text}
    </Text>
  );
  return state.due ? (
    <Tooltip label={`Due ${formatDate(state.due)}`} withArrow>
      {text}
    </Tooltip>
  ) : (
    text
  );
}

/** "#ref subject" linking to the item, with a dimmed line under it (customer, kind…). */
export function ItemRefLink({
  item,
  detail,
}: {
  item: Pick<Item, 'id' | 'ref' | 'subject'>;
  detail: ReactNode;
}) {
  return (
    <>
      <Anchor component={Link} to={`/items/${item.id}`} size="sm">
        <Text span c="dimmed" size="sm">
          #{item.ref}{' '}
        </Text>
        {item.subject}
      </Anchor>
      <Text size="xs" c="dimmed">
        {detail}
      </Text>
    </>
  );
}
