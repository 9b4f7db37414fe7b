import { Anchor, Badge, Drawer, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { itemKindLabels, itemStatusLabels } from '../../shared/listening.ts';
import type { MetricInfo } from '../../shared/metrics.ts';
import { ApiError } from '../app/api.ts';
import { formatDate, QueryError, TableSkeleton } from '../app/ui.tsx';
import { formatDay, formatValue, type SeriesParams, useMetricItems } from './api.ts';

/**
 * The items behind a number: GET /metrics/:name/items for a period, each linking to its page.
 * `scope` names a narrowing shown in the title (e.g. "Team: Support" from the breakdown).
 */
export function ItemsDrawer({
  metric,
  params,
  scope,
  onClose,
}: {
  metric: MetricInfo | null;
  params: SeriesParams | null;
  scope?: string | null;
  onClose: () => void;
}) {
  const items = useMetricItems(metric?.name ?? null, params);
  const opened = Boolean(metric && params);
  const priced = items.data?.data.some((item) => item.value !== undefined && item.value !== null);
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="lg"
      title={
        metric && params
          ? `${metric.label}: ${formatDay(params.from)} – ${formatDay(params.to)}${scope ? ` · ${scope}` : ''}`
          : ''
      }
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
      ) : (
        <Stack gap="xs">
          {items.data.note && (
            <Text size="sm" c="dimmed" data-testid="items-note">
              {items.data.note}
            </Text>
          )}
          {items.data.data.length === 0 ? (
            <Text size="sm" c="dimmed">
              No items behind this number in this period.
            </Text>
          ) : (
            <>
              <Text size="sm" c="dimmed">
                {items.data.data.length === 200
                  ? 'The 200 newest items'
                  : `${items.data.data.length} item${items.data.data.length === 1 ? '' : 's'}`}
                , newest first.
              </Text>
              <Table verticalSpacing="xs" aria-label="Items behind the number">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Item</Table.Th>
                    <Table.Th>Kind</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>{priced ? 'Cost' : 'Counts'}</Table.Th>
                    <Table.Th>When</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.data.data.map((item) => (
                    // One item can be behind a number twice (informed of two fixes): the instant tells them apart.
                    <Table.Tr key={`${item.id}-${item.at}`}>
                      <Table.Td>
                        <Anchor component={Link} to={`/items/${item.id}`} size="sm">
                          #{item.ref} {item.subject}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        {itemKindLabels[item.kind as keyof typeof itemKindLabels] ?? item.kind}
                      </Table.Td>
                      <Table.Td>
                        {itemStatusLabels[item.status as keyof typeof itemStatusLabels] ?? item.status}
                      </Table.Td>
                      <Table.Td>
                        {priced ? (
                          formatValue(item.value, 'currency')
                        ) : item.inNumerator === null ? (
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
            </>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
