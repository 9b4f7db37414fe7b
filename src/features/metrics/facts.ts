import { type RawBuilder, sql } from 'kysely';
import type { MetricComputation, MetricResult, MetricRunContext } from './definition.ts';
import { fillSeries, percentOf } from './run.ts';

/**
 * Where metrics read items from. `facts` (the default for a context): `metric_item_facts`, a narrow
 * copy of the item columns metrics use, kept equal to `items` by triggers
 * (migrations/0019_metric_facts.sql). `rollup` (what `runMetric` asks for): the per-day rollups of
 * day-rollup.ts where the metric and filter allow, the facts otherwise. `raw`: `items` itself; only
 * the equality tests and the bench ask for it.
 */
export type MetricSource = 'raw' | 'facts' | 'rollup';

/** The table to read as `i` in metric queries. */
export function metricItemsTable(context: Pick<MetricRunContext, 'source'>): RawBuilder<unknown> {
  return context.source === 'raw' ? sql`items` : sql`metric_item_facts`;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * The bucket bounds as instants, once per query: the period start, the local midnight starting
 * each later bucket, and the period end. `width_bucket(instant, bounds)` is then the 1-based
 * bucket of an instant in the period: a binary search instead of a time-zone conversion and a
 * date formatting per row. Local midnights map to instants in order, so both agree (DST included).
 */
export function bucketBounds(context: MetricRunContext): RawBuilder<string[]> {
  const tz = context.timeZone;
  const later = context.buckets.slice(1).map((start) => sql`(${start}::timestamp at time zone ${tz})`);
  return sql<string[]>`(select array[(${context.from}::timestamp at time zone ${tz}), ${sql.join([
    ...later,
    sql`((${context.to}::date + 1)::timestamp at time zone ${tz})`,
  ])}]::timestamptz[])`;
}

/** The bucket number (1 = the first bucket) of an instant column of the period. */
export function bucketNumber(column: RawBuilder<unknown>, context: MetricRunContext): RawBuilder<number> {
  return sql<number>`width_bucket(${column}, ${bucketBounds(context)})`;
}

/**
 * The period's rows as a WHERE clause: scope, anchor in [start, end) and the metric's `where`.
 * With `since` (a local date in the period), only the rows from its local midnight on.
 */
export function periodWhere(
  anchor: string,
  context: MetricRunContext,
  where?: RawBuilder<unknown>,
  since?: string,
) {
  const column = sql.ref(`i.${anchor}`);
  const tz = context.timeZone;
  const start = sql`(${since ?? context.from}::timestamp at time zone ${tz})`;
  return sql`${context.itemsScope} and ${column} >= ${start}
    and ${column} < ((${context.to}::date + 1)::timestamp at time zone ${tz})${where ? sql` and (${where})` : sql``}`;
}

/** Rows keyed by bucket number → keyed by bucket start. */
function byStart<T>(context: MetricRunContext, rows: { k: number | null }[], map: (row: never) => T) {
  const out = new Map<string, T>();
  for (const row of rows) {
    if (row.k === null) continue;
    const start = context.buckets[Number(row.k) - 1];
    if (start !== undefined) out.set(start, map(row as never));
  }
  return out;
}

type StandardComputation = Exclude<MetricComputation, { kind: 'custom' }>;
export type PercentileComputation = Extract<MetricComputation, { kind: 'percentile' }>;
export type CountingComputation = Exclude<StandardComputation, PercentileComputation>;

/** The numerator and denominator conditions of a ratio or count (a count counts every row). */
export function countingConditions(compute: CountingComputation) {
  return {
    numerator: compute.kind === 'ratio' ? compute.numerator : sql`true`,
    denominator: compute.kind === 'ratio' ? (compute.denominator ?? sql`true`) : sql`true`,
  };
}

/** A percentile's rows of the period (from `since` if given) as `(k, value)`: bucket number and value. */
export function percentileValues(compute: PercentileComputation, context: MetricRunContext, since?: string) {
  const bucket = bucketNumber(sql.ref(`i.${compute.anchor}`), context);
  return sql`select ${bucket} as k, (${compute.value})::float8 as value
    from ${metricItemsTable(context)} i where ${periodWhere(compute.anchor, context, compute.where, since)}`;
}

/** A percentile's series and total from its rows grouped by bucket (k) and over all (k null). */
export function percentileResult(
  context: MetricRunContext,
  rows: { k: number | null; value: number | null; n: number }[],
): MetricResult {
  const point = (row?: { value: number | null; n: number }) => ({
    value: row?.value === null || row?.value === undefined ? null : round(Number(row.value), 1),
    numerator: null,
    denominator: row?.n ?? 0,
  });
  return {
    series: fillSeries(context.buckets, byStart(context, rows, point), point()),
    total: point(rows.find((row) => row.k === null)),
  };
}

/** A ratio's or count's per-bucket counts of the period (from `since` if given). */
export async function countingRows(compute: CountingComputation, context: MetricRunContext, since?: string) {
  const bucket = bucketNumber(sql.ref(`i.${compute.anchor}`), context);
  const { numerator, denominator } = countingConditions(compute);
  const result = await sql<{ k: number; num: number; den: number }>`
    select ${bucket} as k,
      count(*) filter (where ${numerator})::int as num,
      count(*) filter (where ${denominator})::int as den
    from ${metricItemsTable(context)} i where ${periodWhere(compute.anchor, context, compute.where, since)}
    group by 1`.execute(context.db);
  return result.rows;
}

/** A ratio's or count's series and total from per-bucket counts (several rows per bucket add up). */
export function countingResult(
  compute: CountingComputation,
  context: MetricRunContext,
  rows: { k: number; num: number; den: number }[],
): MetricResult {
  const point = (num: number, den: number) =>
    compute.kind === 'ratio'
      ? { value: percentOf(num, den), numerator: num, denominator: den }
      : { value: num, numerator: num, denominator: null };
  const sums = new Map<number, { k: number; num: number; den: number }>();
  for (const row of rows) {
    const sum = sums.get(Number(row.k)) ?? { k: Number(row.k), num: 0, den: 0 };
    sum.num += Number(row.num);
    sum.den += Number(row.den);
    sums.set(sum.k, sum);
  }
  const byBucket = byStart(context, [...sums.values()], (row: { num: number; den: number }) =>
    point(row.num, row.den),
  );
  const num = [...sums.values()].reduce((sum, row) => sum + row.num, 0);
  const den = [...sums.values()].reduce((sum, row) => sum + row.den, 0);
  return { series: fillSeries(context.buckets, byBucket, point(0, 0)), total: point(num, den) };
}

/** The `ratio`, `count` and `percentile` shapes: one grouped query over the period's items. */
export async function runStandardComputation(
  compute: StandardComputation,
  context: MetricRunContext,
): Promise<MetricResult> {
  if (compute.kind === 'percentile') {
    const result = await sql<{ k: number | null; value: number | null; n: number }>`
      select k, percentile_cont(${compute.p}) within group (order by value) as value, count(*)::int as n
      from (${percentileValues(compute, context)}) x
      where value is not null
      group by grouping sets ((k), ())`.execute(context.db);
    return percentileResult(context, result.rows);
  }
  return countingResult(compute, context, await countingRows(compute, context));
}
