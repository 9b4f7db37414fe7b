import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { MetricInterval, MetricPoint, MetricQuery, MetricSeries } from '../../shared/metrics.ts';
import { infoOf, type MetricDefinition, type MetricResult, type MetricRunContext } from './definition.ts';
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
async function bucketStarts(db: Queryable, from: string, to: string, interval: MetricInterval) {
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

async function runStandard(definition: MetricDefinition, context: MetricRunContext): Promise<MetricResult> {
  const compute = definition.compute;
  if (compute.kind === 'custom') return compute.run(context);
  const bucket = bucketOf(sql.ref(`i.${compute.anchor}`), context);
  const where = inPeriod(compute.anchor, context, compute.where);
  if (compute.kind === 'percentile') {
    const result = await sql<{ start: string | null; value: number | null; n: number }>`
      select to_char(start, 'YYYY-MM-DD') as start,
        percentile_cont(${compute.p}) within group (order by value) as value, count(*)::int as n
      from (select date_trunc(${context.interval}, ${sql.ref(`i.${compute.anchor}`)} at time zone ${context.timeZone}) as start,
          (${compute.value})::float8 as value
        from items i where ${where}) x
      where value is not null
      group by grouping sets ((x.start), ())`.execute(context.db);
    const point = (row?: { value: number | null; n: number }) => ({
      value: row?.value === null || row?.value === undefined ? null : round(Number(row.value), 1),
      numerator: null,
      denominator: row?.n ?? 0,
    });
    const rows = new Map(
      result.rows.filter((row) => row.start !== null).map((row) => [row.start!, point(row)]),
    );
    return {
      series: fillSeries(context.buckets, rows, point()),
      total: point(result.rows.find((row) => row.start === null)),
    };
  }
  const numerator = compute.kind === 'ratio' ? compute.numerator : sql`true`;
  const denominator = compute.kind === 'ratio' ? (compute.denominator ?? sql`true`) : sql`true`;
  const result = await sql<{ start: string; num: number; den: number }>`
    select ${bucket} as start,
      count(*) filter (where ${numerator})::int as num,
      count(*) filter (where ${denominator})::int as den
    from items i where ${where}
    group by 1`.execute(context.db);
  const point = (num: number, den: number) =>
    compute.kind === 'ratio'
      ? { value: percentOf(num, den), numerator: num, denominator: den }
      : { value: num, numerator: num, denominator: null };
  const rows = new Map(result.rows.map((row) => [row.start, point(row.num, row.den)]));
  const num = result.rows.reduce((sum, row) => sum + row.num, 0);
  const den = result.rows.reduce((sum, row) => sum + row.den, 0);
  return { series: fillSeries(context.buckets, rows, point(0, 0)), total: point(num, den) };
}

/** Computes one metric for a period, bucketed by day, week or month in the workspace's time zone. */
export async function runMetric(
  db: Queryable,
  workspaceId: string,
  definition: MetricDefinition,
  query: Omit<MetricQuery, 'format'>,
): Promise<MetricSeries> {
  const { from, to, interval, ...filter } = query;
  const timeZone = await workspaceTimeZone(db, workspaceId);
  const context: MetricRunContext = {
    db,
    workspaceId,
    timeZone,
    from,
    to,
    interval,
    filter,
    itemsScope: itemsScope(workspaceId, filter),
    buckets: await bucketStarts(db, from, to, interval),
  };
  const result = await runStandard(definition, context);
  return { metric: infoOf(definition), from, to, interval, timeZone, ...result };
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

export interface MetricItem {
  id: string;
  ref: number;
  subject: string;
  kind: string;
  status: string;
  at: string;
  /** For a ratio: whether the item counts in the numerator (e.g. resolved at first contact). */
  inNumerator: boolean | null;
}

/**
 * The items behind a metric's number for a period (a bucket the user clicked): those whose
 * anchor falls in it, within the filters, newest first. Custom metrics have no drill-down.
 */
export async function metricItems(
  db: Queryable,
  workspaceId: string,
  definition: MetricDefinition,
  query: Omit<MetricQuery, 'format'>,
  limit: number,
): Promise<MetricItem[] | null> {
  const compute = definition.compute;
  if (compute.kind === 'custom') return null;
  const { from, to, interval, ...filter } = query;
  const context: MetricRunContext = {
    db,
    workspaceId,
    timeZone: await workspaceTimeZone(db, workspaceId),
    from,
    to,
    interval,
    filter,
    itemsScope: itemsScope(workspaceId, filter),
    buckets: [],
  };
  const anchor = sql.ref(`i.${compute.anchor}`);
  const numerator = compute.kind === 'ratio' ? sql<boolean>`(${compute.numerator})` : sql<null>`null`;
  const denominator =
    compute.kind === 'ratio' && compute.denominator ? sql` and (${compute.denominator})` : sql``;
  const result = await sql<Omit<MetricItem, 'ref'> & { ref: string | number }>`
    select i.id, i.ref, i.subject, i.kind, i.status, ${anchor} as at, ${numerator} as "inNumerator"
    from items i where ${inPeriod(compute.anchor, context, compute.where)}${denominator}
    order by ${anchor} desc, i.id desc
    limit ${limit}`.execute(db);
  return result.rows.map((row) => ({ ...row, ref: Number(row.ref), at: new Date(row.at).toISOString() }));
}
