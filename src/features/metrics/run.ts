import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type {
  MetricFilter,
  MetricInterval,
  MetricItemsResponse,
  MetricPoint,
  MetricQuery,
  MetricSeries,
} from '../../shared/metrics.ts';
import { runFromDayRollup } from './day-rollup-read.ts';
import { infoOf, type MetricDefinition, type MetricResult, type MetricRunContext } from './definition.ts';
import { type MetricSource, runStandardComputation } from './facts.ts';
import { itemRows } from './items.ts';
import { itemsScope } from './scope.ts';

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** numerator ÷ denominator as a percentage; null (no data) when there is nothing to divide by. */
export function percentOf(numerator: number, denominator: number): number | null {
  return denominator > 0 ? round((100 * numerator) / denominator) : null;
}

export async function workspaceTimeZone(db: Queryable, workspaceId: string): Promise<string> {
  const row = await db
    .selectFrom('business_hours')
    .select('time_zone')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return row?.time_zone ?? 'UTC';
}

/** Bucket starts from the bucket holding `from` to the one holding `to`, as local dates. */
export async function bucketStarts(db: Queryable, from: string, to: string, interval: MetricInterval) {
  const result = await sql<{ start: string }>`
    select to_char(g, 'YYYY-MM-DD') as start
    from generate_series(date_trunc(${interval}, ${from}::timestamp), ${to}::timestamp, ${`1 ${interval}`}::interval) g`.execute(
    db,
  );
  return result.rows.map((row) => row.start);
}

/** The period's bounds as instants: from local midnight of `from` to local midnight after `to`. */
function bounds(context: MetricRunContext) {
  return {
    start: sql`(${context.from}::timestamp at time zone ${context.timeZone})`,
    end: sql`((${context.to}::date + 1)::timestamp at time zone ${context.timeZone})`,
  };
}

/** The local bucket start of an instant column, e.g. the week of i.resolved_at in the workspace zone. */
export function bucketOf(column: RawBuilder<unknown>, context: MetricRunContext) {
  return sql<string>`to_char(date_trunc(${context.interval}, ${column} at time zone ${context.timeZone}), 'YYYY-MM-DD')`;
}

/** Items of the scope whose anchor falls in the period, as a WHERE clause. */
export function inPeriod(anchor: string, context: MetricRunContext, where?: RawBuilder<unknown>) {
  const column = sql.ref(`i.${anchor}`);
  const { start, end } = bounds(context);
  return sql`${context.itemsScope} and ${column} >= ${start} and ${column} < ${end}${where ? sql` and (${where})` : sql``}`;
}

/** Fills the buckets that had no rows: counts are 0 there, ratios and percentiles have no data. */
export function fillSeries(
  buckets: string[],
  rows: Map<string, Omit<MetricPoint, 'start'>>,
  empty: Omit<MetricPoint, 'start'>,
): MetricPoint[] {
  return buckets.map((start) => ({ start, ...(rows.get(start) ?? empty) }));
}

/** A metric's series and total in a prepared context. */
export async function runComputation(
  definition: MetricDefinition,
  context: MetricRunContext,
): Promise<MetricResult> {
  const compute = definition.compute;
  if (compute.kind === 'custom') return compute.run(context);
  if (context.source === 'rollup') {
    const rolledUp = await runFromDayRollup(compute, context);
    if (rolledUp) return rolledUp;
  }
  return runStandardComputation(compute, context);
}

/**
 * Where a metric is computed: the period, its buckets (unless `withBuckets` is false, for a query
 * that does not bucket) and the items scope for the filter, narrowed further by `narrow` if given.
 */
export async function metricContext(
  db: Queryable,
  workspaceId: string,
  query: { from: string; to: string; interval: MetricInterval } & MetricFilter,
  options: { withBuckets?: boolean; timeZone?: string; narrow?: RawBuilder<unknown> } = {},
): Promise<MetricRunContext> {
  const { from, to, interval, ...filter } = query;
  const scope = itemsScope(workspaceId, filter);
  return {
    db,
    workspaceId,
    timeZone: options.timeZone ?? (await workspaceTimeZone(db, workspaceId)),
    from,
    to,
    interval,
    filter,
    itemsScope: options.narrow ? sql`${scope} and ${options.narrow}` : scope,
    buckets: options.withBuckets === false ? [] : await bucketStarts(db, from, to, interval),
  };
}

/**
 * Computes one metric for a period, bucketed by day, week or month in the workspace's time zone:
 * from the day rollups where they apply (day-rollup.ts), else from the facts; `source: 'raw'`
 * (tests, bench) reads `items`.
 */
export async function runMetric(
  db: Queryable,
  workspaceId: string,
  definition: MetricDefinition,
  query: Omit<MetricQuery, 'format'>,
  options: { source?: MetricSource } = {},
): Promise<MetricSeries> {
  const context: MetricRunContext = {
    ...(await metricContext(db, workspaceId, query)),
    source: options.source ?? 'rollup',
    metricName: definition.name,
  };
  const result = await runComputation(definition, context);
  const { from, to, interval } = query;
  return { metric: infoOf(definition), from, to, interval, timeZone: context.timeZone, ...result };
}

/** The series as CSV: one line per bucket and a last "total" line. */
export function metricCsv(series: MetricSeries): string {
  const cell = (value: number | null) => (value === null ? '' : String(value));
  const lines = ['start,value,numerator,denominator'];
  for (const point of series.series) {
    lines.push([point.start, cell(point.value), cell(point.numerator), cell(point.denominator)].join(','));
  }
  lines.push(
    ['total', cell(series.total.value), cell(series.total.numerator), cell(series.total.denominator)].join(
      ',',
    ),
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The items behind a metric's number for a period (a bucket the user clicked), within the filters,
 * newest first. Standard metrics: the items whose anchor falls in it. Custom metrics: their own
 * `items` query; null when they have none.
 */
export async function metricItems(
  db: Queryable,
  workspaceId: string,
  definition: MetricDefinition,
  query: Omit<MetricQuery, 'format'>,
  limit: number,
): Promise<MetricItemsResponse | null> {
  const compute = definition.compute;
  const context = await metricContext(db, workspaceId, query, { withBuckets: false });
  if (compute.kind === 'custom') {
    if (!compute.items) return null;
    return { data: await compute.items(context, limit), note: compute.itemsNote ?? null };
  }
  const anchor = sql.ref(`i.${compute.anchor}`);
  const numerator = compute.kind === 'ratio' ? sql<boolean>`(${compute.numerator})` : sql<null>`null`;
  const denominator =
    compute.kind === 'ratio' && compute.denominator ? sql` and (${compute.denominator})` : sql``;
  const data = await itemRows(
    db,
    sql`select i.id, i.ref, i.subject, i.kind, i.status, ${anchor} as at, ${numerator} as "inNumerator"
    from items i where ${inPeriod(compute.anchor, context, compute.where)}${denominator}
    order by ${anchor} desc, i.id desc
    limit ${limit}`,
  );
  return { data, note: null };
}
