import { Alert, Loader, Stack, Table, Text } from '@mantine/core';
import type { CostSettingsBody } from '../../shared/metric-costs.ts';
import { errorMessage } from '../app/api.ts';
import { useCostPreview, useSavedMonthCost } from './api.ts';
import { channelLabel, money, monthName } from './format.ts';

/** Last month's items priced with the draft, next to what the saved settings make of that month. */
export function CostPreview({ draft }: { draft: CostSettingsBody | null }) {
  const preview = useCostPreview(draft);
  const data = preview.data;
  const saved = useSavedMonthCost(data ? { from: data.from, to: data.to } : undefined);
  if (!draft && !data) {
    return (
      <Text size="sm" c="dimmed">
        Fill in the costs to see what last month would have cost with them.
      </Text>
    );
  }
  if (preview.isError)
    return (
      <Alert color="yellow" variant="light" title="No preview">
        {errorMessage(preview.error)}
      </Alert>
    );
  if (!data) return <Loader size="sm" aria-label="Computing the preview" />;
  const savedTotal = saved.data?.total.value;
  return (
    <Alert
      color="blue"
      variant="light"
      title={`Preview: ${monthName(data.month)}`}
      aria-live="polite"
      data-testid="cost-preview"
      styles={{ body: { minWidth: 0 } }}
    >
      <Stack gap="xs">
        {data.items === 0 ? (
          <Text size="sm">
            No items were created in {monthName(data.month)}, so there is nothing to price yet.
          </Text>
        ) : (
          <Text size="sm">
            With these costs, the {data.items.toLocaleString()} items created in {monthName(data.month)} would
            cost <b>{money(data.cost, data.currency)}</b>, {money(data.costPerRequest ?? 0, data.currency)}{' '}
            per request.
            {typeof savedTotal === 'number' &&
              ` With the costs saved for that month: ${money(savedTotal, data.currency)}.`}
          </Text>
        )}
        {data.channels.length > 0 && (
          <Table.ScrollContainer minWidth={440}>
            <Table fz="xs" verticalSpacing={2} aria-label="Preview by channel">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Channel</Table.Th>
                  <Table.Th ta="right">Items</Table.Th>
                  <Table.Th ta="right">With recorded time</Table.Th>
                  <Table.Th ta="right">Handling minutes</Table.Th>
                  <Table.Th ta="right">Cost</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.channels.map((row) => (
                  <Table.Tr key={row.channel}>
                    <Table.Td>{channelLabel(row.channel)}</Table.Td>
                    <Table.Td ta="right">{row.items.toLocaleString()}</Table.Td>
                    <Table.Td ta="right">{row.recordedItems.toLocaleString()}</Table.Td>
                    <Table.Td ta="right">{row.handlingMinutes.toLocaleString()}</Table.Td>
                    <Table.Td ta="right">{money(row.cost, data.currency)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {preview.isFetching && <Loader size="xs" aria-label="Updating the preview" />}
      </Stack>
    </Alert>
  );
}
