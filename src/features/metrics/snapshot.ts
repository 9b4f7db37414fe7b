import { type RawBuilder, sql } from 'kysely';
import type { MetricDefinition, MetricRunContext } from './definition.ts';
import { fillSeries } from './run.ts';

/** The period's bounds as instants: local midnight of `from` to local midnight after `to`. */
export function periodBounds(context: MetricRunContext) {
  return {
    start: sql`(${context.from}::timestamp at time zone ${context.timeZone})`,
    end: sql`((${context.to}::date + 1)::timestamp at time zone ${context.timeZone})`,
  };
}

/**
 * Counts the items open at the end of each bucket, in one query: the bucket ends (local midnight
 * after the bucket, cut at the end of the period and at now) joined to the items. `condition` is SQL
 * on `i` and on `e.at`, the instant of the snapshot. A bucket that starts in the future has no data.
 * Open at `e.at`: created before it, neither closed nor resolved by then. Current values are used
 * for what is not replayed (owner, and a reopened item counts as open since its creation: reopening
 * clears its earlier resolution).
 */
async function backlogAt(context: MetricRunContext, condition: RawBuilder<unknown>) {
  const { end } = periodBounds(context);
  const tz = context.timeZone;
  const step = `1 ${context.interval}`;
  const starts = sql.join(context.buckets.map((start) => sql`(${start}::date)`));
  const result = await sql<{ start: string; n: number; future: boolean }>`
    with b(start) as (values ${starts}),
    e as (
      select to_char(b.start, 'YYYY-MM-DD') as start,
        (b.start::timestamp at time zone ${tz}) > now() as future,
        least(((b.start + ${step}::interval)::timestamp at time zone ${tz}), ${end}, now()) as at
      from b
    )
    select e.start, e.future, count(i.id)::int as n
    from e
    left join items i on ${context.itemsScope}
      and i.created_at < e.at
      and (i.closed_at is null or i.closed_at >= e.at)
      and (i.resolved_at is null or i.resolved_at >= e.at)
      and (${condition})
    group by e.start, e.future`.execute(context.db);
  const point = (n: number, future: boolean) =>
    future
      ? { value: null, numerator: null, denominator: null }
      : { value: n, numerator: n, denominator: null };
  const rows = new Map(result.rows.map((row) => [row.start, point(row.n, row.future)]));
  const series = fillSeries(context.buckets, rows, point(0, true));
  const last = [...series].reverse().find((p) => p.value !== null);
  return {
    series,
    total: last
      ? { value: last.value, numerator: last.numerator, denominator: null }
      : { value: null, numerator: null, denominator: null },
  };
}

/** A backlog metric: the open items at each bucket end that also meet `condition`. */
export function backlogMetric(
  info: Omit<MetricDefinition, 'compute' | 'unit' | 'better'>,
  condition: RawBuilder<unknown> = sql`true`,
): MetricDefinition {
  return {
    ...info,
    unit: 'count',
    better: 'down',
    compute: { kind: 'custom', run: (context) => backlogAt(context, condition) },
  };
}

export const backlogRule =
  'Counted at the end of each bucket (or now, for the current bucket); the total is the value at the end of the ' +
  'period. Open at that moment: created before it and neither resolved nor closed by then. A reopened item counts ' +
  'as open since its creation (reopening clears its earlier resolution); a bucket still to come has no data.';
