import { Badge, Group, Tooltip } from '@mantine/core';
import type { Item, ItemStatus, LadderLevel, Priority } from '../../shared/listening.ts';
import { itemKindLabels, itemStatusLabels, ladderLevelLabels } from '../../shared/listening.ts';
import { compactSlaLabel, itemSla, type SlaTone } from './api.ts';

const statusColor: Record<ItemStatus, string> = {
  new: 'blue',
  acknowledged: 'cyan',
  in_progress: 'indigo',
  waiting_on_customer: 'yellow',
  resolved: 'teal',
  closed: 'gray',
  reopened: 'orange',
};
const priorityColor: Record<Priority, string> = {
  low: 'gray',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};
const levelColor: Record<LadderLevel, string> = {
  agent: 'gray',
  lead: 'yellow',
  manager: 'orange',
  executive: 'red',
};
const toneColor: Record<SlaTone, string> = {
  breached: 'red',
  soon: 'orange',
  ok: 'gray',
  met: 'teal',
  paused: 'yellow',
};

export const StatusBadge = ({ status }: { status: ItemStatus }) => (
  <Badge color={statusColor[status]} variant="light" tt="none">
    {itemStatusLabels[status]}
  </Badge>
);

export const PriorityBadge = ({ priority }: { priority: Priority }) => (
  <Badge color={priorityColor[priority]} variant={priority === 'urgent' ? 'filled' : 'light'} tt="none">
    {priority}
  </Badge>
);

export const KindBadge = ({ kind }: { kind: Item['kind'] }) => (
  <Badge color="grape" variant="outline" tt="none">
    {itemKindLabels[kind]}
  </Badge>
);

/** The escalation level; `compact` (lists) shows "↑ Manager" with the full words for screen readers. */
export function LevelBadge({ level, compact }: { level: LadderLevel; compact?: boolean }) {
  if (level === 'agent') return null;
  const label = `Escalated: ${ladderLevelLabels[level]}`;
  return (
    <Badge
      color={levelColor[level]}
      variant="light"
      tt="none"
      title={label}
      aria-label={compact ? label : undefined}
      style={{ flexShrink: 0 }}
    >
      {compact ? `↑ ${ladderLevelLabels[level]}` : label}
    </Badge>
  );
}

/** SLA badges for open items; `compact` shows only the most urgent one (lists). */
export function SlaBadges({ item, now, compact }: { item: Item; now: number; compact?: boolean }) {
  const closed = item.status === 'closed' || item.status === 'resolved';
  const states = itemSla(item, now).filter((s) => !closed || s.tone === 'breached');
  const shown = compact
    ? states
        .filter((s) => s.tone !== 'met')
        .sort((a, b) => rank(a.tone) - rank(b.tone))
        .slice(0, 1)
    : states;
  if (shown.length === 0) return null;
  return (
    <Group gap={4} wrap={compact ? 'nowrap' : 'wrap'}>
      {shown.map((state) => (
        <Tooltip key={state.label} label={state.label} withArrow>
          <Badge
            color={toneColor[state.tone]}
            variant={state.tone === 'breached' ? 'filled' : 'light'}
            tt="none"
          >
            {compact ? compactSlaLabel(state.label) : state.label}
          </Badge>
        </Tooltip>
      ))}
    </Group>
  );
}
const rank = (tone: SlaTone) => ['breached', 'soon', 'paused', 'ok', 'met'].indexOf(tone);
