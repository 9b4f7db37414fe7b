import { Badge, Group, MultiSelect, Text, Tooltip } from '@mantine/core';
import type { GoalStatus } from '../../shared/goals.ts';
import { goalStatusLabels } from '../../shared/goals.ts';
import {
  itemChannelLabels,
  itemChannels,
  itemKindLabels,
  itemKinds,
  priorities,
} from '../../shared/listening.ts';
import type { MetricFilter, MetricInfo } from '../../shared/metrics.ts';

export const statusColors: Record<GoalStatus, string> = {
  on_track: 'green',
  at_risk: 'yellow',
  off_track: 'orange',
  achieved: 'teal',
  missed: 'red',
};

export function GoalStatusBadge({ status }: { status: GoalStatus | null | undefined }) {
  if (!status)
    return (
      <Badge variant="light" color="gray">
        Not evaluated
      </Badge>
    );
  return (
    <Badge variant="light" color={statusColors[status]}>
      {goalStatusLabels[status]}
    </Badge>
  );
}

/** A metric's label with its precise definition in a tooltip (keyboard focusable). */
export function MetricName({ metric, fw = 600 }: { metric: MetricInfo; fw?: number }) {
  return (
    <Tooltip
      label={metric.description}
      multiline
      w={320}
      withArrow
      events={{ hover: true, focus: true, touch: true }}
    >
      <Text
        component="span"
        fw={fw}
        tabIndex={0}
        style={{ textDecoration: 'underline dotted', textUnderlineOffset: 3, cursor: 'help' }}
        aria-description={metric.description}
      >
        {metric.label}
      </Text>
    </Tooltip>
  );
}

const cap = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);
export const kindOptions = itemKinds.map((value) => ({ value, label: itemKindLabels[value] }));
export const channelOptions = itemChannels.map((value) => ({ value, label: itemChannelLabels[value] }));
export const priorityOptions = priorities.map((value) => ({ value, label: cap(value) }));

type ListFilter = Pick<MetricFilter, 'kind' | 'channel' | 'priority'>;

/** Kind, channel and priority multiselects; an empty list means "all". */
export function FilterSelects({
  value,
  onChange,
  size = 'sm',
}: {
  value: ListFilter;
  onChange: (next: ListFilter) => void;
  size?: 'xs' | 'sm';
}) {
  const set = (key: keyof ListFilter) => (list: string[]) =>
    onChange({ ...value, [key]: list.length > 0 ? list : undefined } as ListFilter);
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <MultiSelect
        size={size}
        label="Kind"
        placeholder={value.kind?.length ? undefined : 'All kinds'}
        data={kindOptions}
        value={value.kind ?? []}
        onChange={set('kind')}
        clearable
        w={220}
      />
      <MultiSelect
        size={size}
        label="Channel"
        placeholder={value.channel?.length ? undefined : 'All channels'}
        data={channelOptions}
        value={value.channel ?? []}
        onChange={set('channel')}
        clearable
        w={220}
      />
      <MultiSelect
        size={size}
        label="Priority"
        placeholder={value.priority?.length ? undefined : 'All priorities'}
        data={priorityOptions}
        value={value.priority ?? []}
        onChange={set('priority')}
        clearable
        w={200}
      />
    </Group>
  );
}
