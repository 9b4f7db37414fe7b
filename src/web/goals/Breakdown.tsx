import {
  Button,
  Group,
  Progress,
  SegmentedControl,
  Skeleton,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import {
  type BreakdownDimension,
  type BreakdownRow,
  breakdownDimensions,
  type MetricFilter,
  type MetricInfo,
} from '../../shared/metrics.ts';
import { QueryError } from '../app/ui.tsx';
import { formatDay, formatValue, type SeriesParams, useBreakdown } from './api.ts';

export const dimensionLabels: Record<BreakdownDimension, string> = {
  channel: 'Channel',
  kind: 'Kind',
  priority: 'Priority',
  team: 'Team',
  category: 'Category',
  owner: 'Owner',
};

/** `?by=` of a page: a known dimension, else the default. */
export function parseDimension(value: string | null, fallback: BreakdownDimension = 'team') {
  return (breakdownDimensions as readonly string[]).includes(value ?? '')
    ? (value as BreakdownDimension)
    : fallback;
}

/** The filter narrowed to one value of a dimension, as the breakdown computed it. */
export function narrowFilter(filter: MetricFilter, by: BreakdownDimension, value: string): MetricFilter {
  switch (by) {
    case 'team':
      return { ...filter, teamId: value };
    case 'category':
      return { ...filter, categoryId: value };
    case 'owner':
      return { ...filter, ownerId: value };
    default:
      return { ...filter, [by]: [value] };
  }
}

/**
 * Which channel, team, category… moves the metric: its total for the period once per value of the
 * chosen dimension (GET /metrics/:name/breakdown, one request), best first, within the filter.
 * `onItems` opens the items behind a row (values without one, such as "No team", cannot be filtered).
 */
export function Breakdown({
  metric,
  params,
  by,
  onBy,
  onItems,
}: {
  metric: MetricInfo;
  params: SeriesParams;
  by: BreakdownDimension;
  onBy: (by: BreakdownDimension) => void;
  onItems?: (row: BreakdownRow, params: SeriesParams) => void;
}) {
  const breakdown = useBreakdown(metric.name, params, by);
  const unit = metric.unit;
  const rows = breakdown.data?.data ?? [];
  const largest = Math.max(0, ...rows.map((row) => Math.abs(row.total.value ?? 0)));
  const dimension = dimensionLabels[by].toLowerCase();
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text fw={600} size="sm">
          Breakdown by {dimension}, {formatDay(params.from)} – {formatDay(params.to)}
        </Text>
        <SegmentedControl
          size="xs"
          aria-label="Break down by"
          value={by}
          onChange={(value) => onBy(value as BreakdownDimension)}
          data={breakdownDimensions.map((value) => ({ value, label: dimensionLabels[value] }))}
        />
      </Group>
      {breakdown.isPending ? (
        <Skeleton height={80} />
      ) : breakdown.isError ? (
        <QueryError error={breakdown.error} onRetry={() => breakdown.refetch()} />
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No data in this period for any {dimension}.
        </Text>
      ) : (
        <>
          <Table verticalSpacing={4} aria-label={`${metric.label} by ${dimension}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{dimensionLabels[by]}</Table.Th>
                <Table.Th ta="right">{metric.label}</Table.Th>
                <Table.Th w="25%" visibleFrom="sm">
                  <VisuallyHidden>Relative size</VisuallyHidden>
                </Table.Th>
                <Table.Th ta="right">Numerator</Table.Th>
                <Table.Th ta="right">Denominator</Table.Th>
                {onItems && (
                  <Table.Th>
                    <VisuallyHidden>Items</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.value ?? 'none'}>
                  <Table.Td>{row.label}</Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {formatValue(row.total.value, unit)}
                  </Table.Td>
                  <Table.Td visibleFrom="sm">
                    <Progress
                      value={largest > 0 ? (100 * Math.abs(row.total.value ?? 0)) / largest : 0}
                      size="sm"
                      color="indigo"
                      aria-hidden
                    />
                  </Table.Td>
                  <Table.Td ta="right">{row.total.numerator ?? '—'}</Table.Td>
                  <Table.Td ta="right">{row.total.denominator ?? '—'}</Table.Td>
                  {onItems && (
                    <Table.Td>
                      {row.value !== null && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          aria-label={`Items of ${row.label}`}
                          onClick={() =>
                            onItems(row, {
                              from: params.from,
                              to: params.to,
                              filter: narrowFilter(params.filter ?? {}, by, row.value!),
                            })
                          }
                        >
                          Items
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {breakdown.data.truncated && (
            <Text size="xs" c="dimmed">
              Only the {dimension} values with the most items are shown; the smaller ones are left out.
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}
