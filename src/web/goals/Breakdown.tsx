import { Group, SegmentedControl, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import type { TargetProgress } from '../../shared/goals.ts';
import { itemChannelLabels, itemChannels, itemKindLabels, itemKinds } from '../../shared/listening.ts';
import { formatValue, seriesQuery } from './api.ts';

type Dimension = 'channel' | 'kind';

const values: Record<Dimension, { value: string; label: string }[]> = {
  channel: itemChannels.map((value) => ({ value, label: itemChannelLabels[value] })),
  kind: itemKinds.map((value) => ({ value, label: itemKindLabels[value] })),
};

/**
 * Which channel or kind moves the metric: the metric over the current window, once per value of the
 * dimension (one request each, in parallel), within the goal's own filter.
 */
export function Breakdown({ target }: { target: TargetProgress }) {
  const [dimension, setDimension] = useState<Dimension>('channel');
  const scoped = target.filter[dimension];
  const options = values[dimension].filter(
    (option) => !scoped || (scoped as string[]).includes(option.value),
  );
  const results = useQueries({
    queries: options.map((option) =>
      seriesQuery(target.metric.name, {
        from: target.current.from,
        to: target.current.to,
        interval: 'month',
        filter: { ...target.filter, [dimension]: [option.value] },
      }),
    ),
  });
  const loading = results.some((result) => result.isPending);
  const failed = results.find((result) => result.isError);
  const rows = options
    .map((option, index) => ({ ...option, total: results[index]?.data?.total }))
    .filter((row) => row.total && (row.total.value !== null || (row.total.denominator ?? 0) > 0));
  const sign = target.metric.better === 'up' ? -1 : 1;
  rows.sort((a, b) => sign * ((a.total?.value ?? 0) - (b.total?.value ?? 0)));
  const unit = target.metric.unit;
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text fw={600} size="sm">
          Breakdown, {target.current.from} – {target.current.to}
        </Text>
        <SegmentedControl
          size="xs"
          aria-label="Break down by"
          value={dimension}
          onChange={(value) => setDimension(value as Dimension)}
          data={[
            { value: 'channel', label: 'By channel' },
            { value: 'kind', label: 'By kind' },
          ]}
        />
      </Group>
      {loading ? (
        <Skeleton height={80} />
      ) : failed ? (
        <Text size="sm" c="dimmed">
          {failed.error?.message ?? 'Could not load the breakdown.'}
        </Text>
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No data in the current window for any {dimension}.
        </Text>
      ) : (
        <Table verticalSpacing={4} aria-label={`${target.metric.label} by ${dimension}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{dimension === 'channel' ? 'Channel' : 'Kind'}</Table.Th>
              <Table.Th ta="right">{target.metric.label}</Table.Th>
              <Table.Th ta="right">Numerator</Table.Th>
              <Table.Th ta="right">Denominator</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.value}>
                <Table.Td>{row.label}</Table.Td>
                <Table.Td ta="right">{formatValue(row.total?.value, unit)}</Table.Td>
                <Table.Td ta="right">{row.total?.numerator ?? '—'}</Table.Td>
                <Table.Td ta="right">{row.total?.denominator ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
