import { CompositeChart } from '@mantine/charts';
import { Button, Collapse, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { TargetProgress } from '../../shared/goals.ts';
import { formatDay, formatValue } from './api.ts';

interface Row {
  start: string;
  value?: number | null;
  forecast?: number;
  low?: number;
  high?: number;
}

/** Actual weekly values and the forecast to the deadline on one time axis. */
export function chartRows(target: TargetProgress): Row[] {
  const rows = new Map<string, Row>();
  // A straight line can leave the possible range (a rate above 100%, a negative time): cap it.
  const max = target.metric.unit === 'percent' ? 100 : Number.POSITIVE_INFINITY;
  const cap = (value: number) => Math.round(Math.min(max, Math.max(0, value)) * 10) / 10;
  for (const point of target.series) rows.set(point.start, { start: point.start, value: point.value });
  for (const point of target.forecast?.points ?? []) {
    const row = rows.get(point.start) ?? { start: point.start };
    rows.set(point.start, { ...row, forecast: cap(point.value), low: cap(point.low), high: cap(point.high) });
  }
  return [...rows.values()].sort((a, b) => a.start.localeCompare(b.start));
}

/**
 * The metric over time with the baseline and target as horizontal lines, the forecast dashed and its
 * band dotted. Clicking a week opens the items behind it.
 */
export function TargetChart({ target, onPick }: { target: TargetProgress; onPick: (start: string) => void }) {
  const { unit } = target.metric;
  const rows = chartRows(target);
  const references = [
    target.baseline.value !== null && {
      y: target.baseline.value,
      label: `Baseline ${formatValue(target.baseline.value, unit)}`,
      labelPosition: 'insideBottomLeft' as const,
      color: 'gray.6',
      strokeDasharray: '4 4',
    },
    target.targetValue !== null && {
      y: target.targetValue,
      label: `Target ${formatValue(target.targetValue, unit)}`,
      labelPosition: 'insideTopRight' as const,
      color: 'teal.6',
      strokeDasharray: '6 3',
    },
  ].filter((line) => line !== false);
  return (
    <CompositeChart
      h={280}
      data={rows}
      dataKey="start"
      curveType="linear"
      connectNulls={false}
      withLegend
      legendProps={{ verticalAlign: 'bottom', height: 40 }}
      valueFormatter={(value) => formatValue(value, unit)}
      xAxisProps={{ tickFormatter: (value: string) => formatDay(value) }}
      referenceLines={references}
      withDots={false}
      lineProps={(series) => (series.name === 'value' ? { dot: { r: 3 } } : {})}
      series={[
        { name: 'value', label: target.metric.label, color: 'indigo.6', type: 'line' },
        { name: 'forecast', label: 'Forecast', color: 'violet.5', type: 'line', strokeDasharray: '6 4' },
        {
          name: 'high',
          label: 'Forecast band (high)',
          color: 'violet.2',
          type: 'line',
          strokeDasharray: '2 3',
        },
        {
          name: 'low',
          label: 'Forecast band (low)',
          color: 'violet.2',
          type: 'line',
          strokeDasharray: '2 3',
        },
      ]}
      composedChartProps={{
        onClick: (state: unknown) => {
          const label = (state as { activeLabel?: unknown } | null)?.activeLabel;
          if (typeof label === 'string' && target.series.some((point) => point.start === label))
            onPick(label);
        },
        style: { cursor: 'pointer' },
      }}
      aria-label={`${target.metric.label} by week, with baseline, target and forecast`}
    />
  );
}

/** The same numbers as the chart, as a table (collapsed under "Show data"); a row opens its items. */
export function TargetDataTable({
  target,
  onPick,
}: {
  target: TargetProgress;
  onPick: (start: string) => void;
}) {
  const [opened, toggle] = useDisclosure(false);
  const { unit } = target.metric;
  const rows = chartRows(target);
  return (
    <Stack gap="xs">
      <Button variant="subtle" size="xs" onClick={toggle.toggle} aria-expanded={opened} w="fit-content">
        {opened ? 'Hide data' : 'Show data'}
      </Button>
      <Collapse expanded={opened}>
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing={4} striped aria-label={`${target.metric.label}: data behind the chart`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Week of</Table.Th>
                <Table.Th ta="right">{target.metric.label}</Table.Th>
                <Table.Th ta="right">Numerator</Table.Th>
                <Table.Th ta="right">Denominator</Table.Th>
                <Table.Th ta="right">Forecast (band)</Table.Th>
                <Table.Th>Items</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => {
                const point = target.series.find((p) => p.start === row.start);
                return (
                  <Table.Tr key={row.start}>
                    <Table.Td>{formatDay(row.start)}</Table.Td>
                    <Table.Td ta="right">{point ? formatValue(point.value, unit) : ''}</Table.Td>
                    <Table.Td ta="right">{point?.numerator ?? ''}</Table.Td>
                    <Table.Td ta="right">{point?.denominator ?? ''}</Table.Td>
                    <Table.Td ta="right">
                      {row.forecast !== undefined
                        ? `${formatValue(row.forecast, unit)} (${formatValue(row.low, unit)} – ${formatValue(row.high, unit)})`
                        : ''}
                    </Table.Td>
                    <Table.Td>
                      {point && (
                        <Button
                          size="compact-xs"
                          variant="light"
                          onClick={() => onPick(row.start)}
                          aria-label={`Items of the week of ${formatDay(row.start)}`}
                        >
                          Items
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Collapse>
      {rows.length === 0 && (
        <Text size="sm" c="dimmed">
          No data yet.
        </Text>
      )}
    </Stack>
  );
}
