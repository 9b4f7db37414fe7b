import { type RawBuilder, sql } from 'kysely';
import type { MetricDefinition, MetricRunContext } from './definition.ts';
import { metricItemsTable } from './facts.ts';
import { fillSeries } from './run.ts';
import { backlogFromRollup } from './snapshot-rollup.ts';

/** The period's bounds as instants: local midnight of `from` to local midnight after `to`. */
export function periodBounds(context: MetricRunContext) {
  return {
    start: sql`(${context.from}::timestamp at time zone ${context.timeZone})`,
    end: sql`((${context.to}::date + 1)::timestamp at time zone ${context.timeZone})`,
  };
}

/** When each bucket's snapshot is taken: local midnight after it, cut at the period end and at now. */
async function bucketEnds(context: MetricRunContext) {
  const { end } = periodBounds(context);
  const tz = context.timeZone;
  const starts = sql.join(context.buckets.map((start) => sql`(${start}::date)`));
  const result = await sql<{ start: string; future: boolean; at: string }>`
    select to_char(b.start, 'YYYY-MM-DD') as start,
      (b.start::timestamp at time zone ${tz}) > now() as future,
      to_char(least(((b.start + ${`1 ${context.interval}`}::interval)::timestamp at time zone ${tz}), ${end}, now())
        at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at
    from (values ${starts}) b(start) order by b.start`.execute(context.db);
  return result.rows;
}

export interface BacklogRule {
  /** From when an item counts (default: its creation), e.g. its first breach or its 7th day. */
  from?: RawBuilder<unknown>;
  /** A further condition on the item that does not change with time (e.g. no owner). */
  where?: RawBuilder<unknown>;
  /**
   * What the day rollups (snapshot-rollup.ts) need of a `from` other than the creation: a
   * condition implied by `from` ∈ [start, end) that an index serves, and, when `from` is
   * created_at + N days, N (one of `snapshotShiftDays`). Without it the metric scans the facts.
   */
  rollup?: {
    fromWithin(start: RawBuilder<unknown>, end: RawBuilder<unknown>): RawBuilder<unknown>;
    shiftDays?: number;
  };
}

/**
 * Items counted at the end of each bucket: an item counts at instant T when `from` < T and it was
 * neither resolved nor closed by T (its `until` = the earlier of the two, if any, is ≥ T). Counted
 * as running sums over a histogram of both instants against the sorted bucket ends: one scan of the
 * items, whatever the number of buckets. count(T) = #{from < T} − #{greatest(from, until) < T}.
 */
async function backlogAt(context: MetricRunContext, rule: BacklogRule) {
  const ends = await bucketEnds(context);
  const at = ends.map((end) => end.at);
  const from = rule.from ?? sql`i.created_at`;
  const result = await sql<{ side: 'from' | 'until'; k: number; n: number }>`
    with x as (
      select ${from} as s, least(i.closed_at, i.resolved_at) as f
      from ${metricItemsTable(context)} i
      where ${context.itemsScope} and i.created_at < ${at.at(-1)}::timestamptz
        and (${rule.where ?? sql`true`})
    ), a as (select ${at}::timestamptz[] as ends)
    select side, k, count(*)::int as n from (
      select 'from' as side, width_bucket(x.s, a.ends) as k
      from x, a where x.s is not null and (x.f is null or x.f >= greatest(x.s, a.ends[1]))
      union all
      select 'until', width_bucket(greatest(x.s, x.f), a.ends)
      from x, a where x.s is not null and x.f >= greatest(x.s, a.ends[1])
    ) h
    group by side, k`.execute(context.db);
  // An instant in histogram slot k is before the ends k+1, k+2, … (slots count from 0).
  const added = new Array<number>(at.length + 1).fill(0);
  for (const row of result.rows) added[row.k] = (added[row.k] ?? 0) + (row.side === 'from' ? row.n : -row.n);
  let running = 0;
  const rows = new Map(
    ends.map((end, index) => {
      running += added[index]!;
      const point = end.future
        ? { value: null, numerator: null, denominator: null }
        : { value: running, numerator: running, denominator: null };
      return [end.start, point];
    }),
  );
  const series = fillSeries(context.buckets, rows, { value: null, numerator: null, denominator: null });
  const last = series.findLast((point) => point.value !== null);
  return {
    series,
    total: { value: last?.value ?? null, numerator: last?.numerator ?? null, denominator: null },
  };
}

/** A backlog metric: the items open at each bucket end that meet the rule. */
export function backlogMetric(
  info: Omit<MetricDefinition, 'compute' | 'unit' | 'better'>,
  rule: BacklogRule = {},
): MetricDefinition {
  return {
    ...info,
    unit: 'count',
    better: 'down',
    compute: {
      kind: 'custom',
      run: async (context) => (await backlogFromRollup(context, rule)) ?? backlogAt(context, rule),
    },
  };
}

export const backlogRule =
  'Counted at the end of each bucket (or now, for the current bucket); the total is the value at the end of the ' +
  'period. Open at that moment: created before it and neither resolved nor closed by then. A reopened item counts ' +
  'as open since its creation (reopening clears its earlier resolution); a bucket still to come has no data.';
