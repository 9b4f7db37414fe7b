import { sql } from 'kysely';
import {
  buildStandardDays,
  type RollupSlice,
  rollupMetric,
  rollupSlice,
  type StandardComputation,
  withRollupDays,
} from './day-rollup.ts';
import { rollupPercentiles } from './day-rollup-percentile.ts';
import type { MetricResult, MetricRunContext } from './definition.ts';
import { countingResult, countingRows, percentileResult, percentileValues } from './facts.ts';

const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * A standard metric from the day rollups (day-rollup.ts), bucketed by day; for a metric that
 * reads the clock, the days after the last complete one (today, the future) from the facts.
 * Null when the filter is not one the rollup holds (two dimensions, an organization, a tag).
 */
export async function runFromDayRollup(
  compute: StandardComputation,
  context: MetricRunContext,
): Promise<MetricResult | null> {
  const slice = rollupSlice(context.filter);
  if (!slice || !context.metricName || context.buckets.length === 0) return null;
  const metric = rollupMetric(context.metricName, compute, context.db);
  const { key } = metric;
  return withRollupDays(
    context,
    metric,
    (db, start, last) => buildStandardDays(db, compute, context, key, start, last),
    (db, lastDay) => readDays(compute, { ...context, db }, slice, key, lastDay),
  );
}

/** The period from the rollup's days up to `lastDay`, and from the facts after it. */
async function readDays(
  compute: StandardComputation,
  context: MetricRunContext,
  slice: RollupSlice,
  key: string,
  lastDay: string,
): Promise<MetricResult> {
  // The facts read only the days the rollup does not hold.
  const since = lastDay < context.to ? (lastDay < context.from ? context.from : nextDay(lastDay)) : null;
  const facts = { ...context, source: 'facts' as const };
  // Days → bucket numbers: width_bucket over the bucket starts (the first is the period start).
  const dayBounds = sql`${[context.from, ...context.buckets.slice(1), nextDay(context.to)]}::date[]`;
  const rollupRows = sql`r.workspace_id = ${context.workspaceId} and r.metric = ${key} and r.time_zone = ${context.timeZone}
      and r.dimension = ${slice.dimension} and r.value = any(${slice.values}::text[])
      and r.day >= ${context.from}::date and r.day <= least(${context.to}::date, ${lastDay}::date)`;
  if (compute.kind === 'percentile' && !since) {
    const rows = sql`select width_bucket(r.day, ${dayBounds}) as k, r.vals, r.bins, r.counts
      from metric_day_rollup r where ${rollupRows}`;
    return percentileResult(context, await rollupPercentiles(context.db, rows, compute.p));
  }
  if (compute.kind === 'percentile') {
    // Today and later days from the facts (a percentile that reads the clock): one sort of all values.
    const tail = since
      ? sql`union all select k, value from (${percentileValues(compute, facts, since)}) t where value is not null`
      : sql``;
    const result = await sql<{ k: number | null; value: number | null; n: number }>`
      select k, percentile_cont(${compute.p}) within group (order by value) as value, count(*)::int as n
      from (select width_bucket(r.day, ${dayBounds}) as k, v as value
        from metric_day_rollup r cross join lateral unnest(r.vals) v where ${rollupRows}
        ${tail}) x
      group by grouping sets ((k), ())`.execute(context.db);
    return percentileResult(context, result.rows);
  }
  const rolledUp = await sql<{ k: number; num: number; den: number }>`
    select width_bucket(r.day, ${dayBounds}) as k, sum(r.num)::int as num, sum(r.den)::int as den
    from metric_day_rollup r where ${rollupRows}
    group by 1`.execute(context.db);
  const tail = since ? await countingRows(compute, facts, since) : [];
  return countingResult(compute, context, [...rolledUp.rows, ...tail]);
}
