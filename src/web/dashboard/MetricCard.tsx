import { AreaChart } from '@mantine/charts';
import { Anchor, Button, Card, Group, Skeleton, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { MetricInfo, MetricSeries } from '../../shared/metrics.ts';
import { QueryError } from '../app/ui.tsx';
import { formatDay, formatValue, type SeriesParams, seriesPath } from '../goals/api.ts';
import { MetricName } from '../goals/parts.tsx';

/** Up or down, and whether that is good news for this metric. */
function Change({ metric, now, then }: { metric: MetricInfo; now: number | null; then: number | null }) {
  if (now === null || then === null)
    return (
      <Text size="sm" c="dimmed">
        no comparison
      </Text>
    );
  const delta = now - then;
  if (Math.abs(delta) < 1e-9)
    return (
      <Text size="sm" c="dimmed">
        → unchanged
      </Text>
    );
  const better = metric.better === 'up' ? delta > 0 : delta < 0;
  const relative = then === 0 ? null : Math.round((delta / Math.abs(then)) * 100);
  const text =
    metric.unit === 'percent'
      ? `${delta > 0 ? '+' : '−'}${Math.abs(Math.round(delta * 10) / 10)} pts`
      : relative === null
        ? `${delta > 0 ? '+' : '−'}${formatValue(Math.abs(delta), metric.unit)}`
        : `${delta > 0 ? '+' : '−'}${Math.abs(relative)}%`;
  return (
    <Text
      size="sm"
      fw={600}
      c={better ? 'teal.7' : 'red.7'}
      aria-label={`${text}, ${better ? 'better' : 'worse'}`}
    >
      {delta > 0 ? '▲' : '▼'} {text} {better ? '(better)' : '(worse)'}
    </Text>
  );
}

export function MetricCard({
  metric,
  current,
  previous,
  params,
  comparisonLabel,
  onItems,
  onBreakdown,
}: {
  metric: MetricInfo;
  current: UseQueryResult<MetricSeries>;
  previous: UseQueryResult<MetricSeries>;
  params: SeriesParams;
  comparisonLabel: string;
  onItems: () => void;
  onBreakdown: () => void;
}) {
  const { unit } = metric;
  return (
    <Card withBorder padding="md" component="article" aria-label={metric.label}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <MetricName metric={metric} />
          <Text size="xs" c="dimmed">
            {metric.better === 'up' ? 'Higher is better' : 'Lower is better'}
          </Text>
        </Group>
        {current.isPending ? (
          <Skeleton height={110} />
        ) : current.isError ? (
          <QueryError error={current.error} onRetry={() => current.refetch()} />
        ) : (
          <>
            <Group align="baseline" gap="sm">
              <Text fz={28} fw={700} lh={1.1}>
                {formatValue(current.data.total.value, unit)}
              </Text>
              {previous.data && (
                <Change metric={metric} now={current.data.total.value} then={previous.data.total.value} />
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {formatDay(params.from)} – {formatDay(params.to)} · {comparisonLabel}:{' '}
              {previous.isPending
                ? '…'
                : previous.data
                  ? `${formatValue(previous.data.total.value, unit)} (${formatDay(previous.data.from)} – ${formatDay(previous.data.to)})`
                  : 'unavailable'}
            </Text>
            <AreaChart
              h={90}
              data={current.data.series.map((point) => ({ start: point.start, value: point.value }))}
              dataKey="start"
              series={[{ name: 'value', label: metric.label, color: 'indigo.6' }]}
              withXAxis={false}
              withYAxis={false}
              gridAxis="none"
              curveType="monotone"
              connectNulls={false}
              withDots
              dotProps={{ r: 2 }}
              fillOpacity={0.25}
              valueFormatter={(value) => formatValue(value, unit)}
              tooltipProps={{ labelFormatter: (label: unknown) => formatDay(String(label)) }}
              aria-label={`${metric.label} over the period`}
            />
          </>
        )}
        <Group gap="xs">
          <Button size="compact-sm" variant="light" onClick={onItems}>
            Items
          </Button>
          <Button
            size="compact-sm"
            variant="default"
            onClick={onBreakdown}
            aria-label={`Break down ${metric.label}`}
          >
            Breakdown
          </Button>
          <Anchor
            size="sm"
            href={seriesPath(metric.name, { ...params, format: 'csv' })}
            download
            aria-label={`Download ${metric.label} as CSV`}
          >
            Download CSV
          </Anchor>
        </Group>
      </Stack>
    </Card>
  );
}
