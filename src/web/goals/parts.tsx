import { Anchor, Badge, Drawer, Group, MultiSelect, Stack, Table, Text, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import type { GoalStatus } from '../../shared/goals.ts';
import { goalStatusLabels } from '../../shared/goals.ts';
import {
  itemChannelLabels,
  itemChannels,
  itemKindLabels,
  itemKinds,
  itemStatusLabels,
  priorities,
} from '../../shared/listening.ts';
import type { MetricFilter, MetricInfo } from '../../shared/metrics.ts';
import { ApiError } from '../app/api.ts';
import { formatDate, QueryError, TableSkeleton } from '../app/ui.tsx';
import { formatDay, type SeriesParams, useMetricItems } from './api.ts';

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

/** The items behind a number: GET /metrics/:name/items for a period, each linking to its page. */
export function ItemsDrawer({
  metric,
  params,
  onClose,
}: {
  metric: MetricInfo | null;
  params: SeriesParams | null;
  onClose: () => void;
}) {
  const items = useMetricItems(metric?.name ?? null, params);
  const opened = Boolean(metric && params);
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="lg"
      title={metric && params ? `${metric.label}: ${formatDay(params.from)} – ${formatDay(params.to)}` : ''}
    >
      {items.isPending ? (
        <TableSkeleton />
      ) : items.isError ? (
        items.error instanceof ApiError && items.error.status === 409 ? (
          <Text size="sm" c="dimmed">
            {items.error.message}
          </Text>
        ) : (
          <QueryError error={items.error} onRetry={() => items.refetch()} />
        )
      ) : items.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No items behind this number in this period.
        </Text>
      ) : (
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {items.data.length === 200 ? 'The 200 newest items' : `${items.data.length} items`}, newest first.
          </Text>
          <Table verticalSpacing="xs" aria-label="Items behind the number">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Item</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Counts</Table.Th>
                <Table.Th>When</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.data.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/items/${item.id}`} size="sm">
                      #{item.ref} {item.subject}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{itemKindLabels[item.kind as keyof typeof itemKindLabels] ?? item.kind}</Table.Td>
                  <Table.Td>
                    {itemStatusLabels[item.status as keyof typeof itemStatusLabels] ?? item.status}
                  </Table.Td>
                  <Table.Td>
                    {item.inNumerator === null ? (
                      '—'
                    ) : (
                      <Badge size="sm" variant="light" color={item.inNumerator ? 'teal' : 'gray'}>
                        {item.inNumerator ? 'Yes' : 'No'}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{formatDate(item.at)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Drawer>
  );
}
