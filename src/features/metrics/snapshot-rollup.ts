import { createHash } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { MetricPoint } from '../../shared/metrics.ts';
import {
  addDays,
  backlogAnchor,
  dayContext,
  dimensionGrouping,
  rollupSlice,
  snapshotKeyPrefix,
  snapshotShiftDays,
  withRollupDays,
} from './day-rollup.ts';
import type { MetricResult, MetricRunContext } from './definition.ts';
import { bucketNumber } from './facts.ts';
import { fillSeries } from './run.ts';
import type { BacklogRule } from './snapshot.ts';

/**
 * Backlog metrics from day rollups (the same `metric_day_rollup` rows as the standard metrics,
 * under a `snapshot/` key). An item counts at instant T when from < T ≤ until (until = the
 * earlier of resolution and closing; never when until < from). So the count at a local midnight
 * is a sum over the days before it: num = items whose `from` falls on the day, den = items whose
 * `until` does (only items with until ≥ from, or no until). The days hold every day from the
 * first item's; a snapshot taken now adds the running day's instants up to now, from the facts.
 *
 * Freshness is the standard rollups' (day-rollup.ts): a change of an item queues the UTC dates
 * of its timestamps; these rollups (`backlogAnchor`) are rebuilt on the dates of its creation,
 * breaches, resolution and closing, and `snapshotShiftDays` after its creation (the age buckets'
 * `from` is created_at + 7 or 30 days).
 */

const instant = (day: string, tz: string) => sql`(${day}::timestamp at time zone ${tz})`;

/** The rule's `from`, and a condition implied by from ∈ [start, end) that an index serves. */
function fromOf(rule: BacklogRule) {
  if (!rule.from)
    return {
      from: sql`i.created_at`,
      within: (start: RawBuilder<unknown>, end: RawBuilder<unknown>) =>
        sql`i.created_at >= ${start} and i.created_at < ${end}`,
    };
  return rule.rollup ? { from: rule.from, within: rule.rollup.fromWithin } : null;
}

/** The rule's items whose from or until falls in [start, end), as x(s, f, …) on the facts. */
function movingItems(
  context: MetricRunContext,
  rule: BacklogRule,
  start: RawBuilder<unknown>,
  end: RawBuilder<unknown>,
  extra: RawBuilder<unknown> = sql``,
) {
  const { from, within } = fromOf(rule)!;
  return sql`select ${from} as s, least(i.closed_at, i.resolved_at) as f${extra}
    from metric_item_facts i
    where ${context.itemsScope} and (${rule.where ?? sql`true`})
      and ((${within(start, end)}) or (i.resolved_at >= ${start} and i.resolved_at < ${end})
        or (i.closed_at >= ${start} and i.closed_at < ${end}))`;
}

function buildDays(context: MetricRunContext, rule: BacklogRule, key: string) {
  return async (db: Queryable, start: string, last: string) => {
    const { workspaceId, timeZone: tz } = context;
    await sql`delete from metric_day_rollup where workspace_id = ${workspaceId} and metric = ${key}
      and time_zone = ${tz} and day between ${start}::date and ${last}::date`.execute(db);
    const days = dayContext(db, context, start, last);
    const begin = instant(start, tz);
    const end = instant(addDays(last, 1), tz);
    const { columns, names, sets, dimensionName, dimensionValue } = dimensionGrouping();
    await sql`
      with x as (${movingItems(days, rule, begin, end, sql`, ${columns}`)})
      insert into metric_day_rollup (workspace_id, time_zone, metric, dimension, value, day, num, den)
      select ${workspaceId}, ${tz}, ${key}, g.dimension, coalesce(g.value, ''), ${start}::date + g.k - 1, g.num, g.den
      from (
        select k, case ${dimensionName} else '' end as dimension, coalesce(${dimensionValue}) as value,
          count(*) filter (where starts)::int as num, count(*) filter (where not starts)::int as den
        from (
          select ${bucketNumber(sql`x.s`, days)} as k, true as starts, ${names} from x
          where x.s >= ${begin} and x.s < ${end} and (x.f is null or x.f >= x.s)
          union all
          select ${bucketNumber(sql`x.f`, days)}, false, ${names} from x
          where x.f >= ${begin} and x.f < ${end} and x.f >= x.s
        ) y
        group by grouping sets ((k), ${sets})
      ) g
      where g.dimension = '' or g.value is not null`.execute(db);
  };
}

/** The rollup key: the metric's name and a hash of the rule's SQL. */
function snapshotKey(name: string, rule: BacklogRule, db: Queryable) {
  const { from, within } = fromOf(rule)!;
  const text = [from, rule.where ?? sql`true`, within(sql`$start`, sql`$end`)]
    .map((fragment) => {
      const query = fragment.compile(db);
      return `${query.sql}|${JSON.stringify(query.parameters)}`;
    })
    .join('\n');
  return `${snapshotKeyPrefix}${name}:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

/**
 * A backlog metric from the day rollups; null when the filter or the rule is not one they hold
 * (two dimensions, an organization, a tag; a `from` without a rollup hint or with a shift the
 * dirty queue does not cover).
 */
export async function backlogFromRollup(
  context: MetricRunContext,
  rule: BacklogRule,
): Promise<MetricResult | null> {
  const slice = rollupSlice(context.filter);
  const shift = rule.rollup?.shiftDays;
  if (!slice || !context.metricName || context.source !== 'rollup' || context.buckets.length === 0)
    return null;
  if (!fromOf(rule) || (shift !== undefined && !snapshotShiftDays.includes(shift))) return null;
  const { db, workspaceId, timeZone: tz } = context;
  const clock = await sql<{ now: string; today: string; first_day: string | null }>`
    select to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as now,
      to_char((now() at time zone ${tz})::date, 'YYYY-MM-DD') as today,
      (select to_char((min(created_at) at time zone ${tz})::date, 'YYYY-MM-DD') from metric_item_facts
        where workspace_id = ${workspaceId}) as first_day`.execute(db);
  const { now, today, first_day: firstDay } = clock.rows[0]!;
  const nowAt = sql`${now}::timestamptz`;
  // Each bucket's snapshot: at the local midnight starting `endDay` (the bucket's end, cut at the
  // period end), or now when that is later (the running bucket); none for a bucket still to come.
  const starts = sql.join(context.buckets.map((start) => sql`(${start}::date)`));
  const ends = await sql<{ start: string; future: boolean; end_day: string; running: boolean }>`
    select to_char(b.start, 'YYYY-MM-DD') as start, (b.start::timestamp at time zone ${tz}) > ${nowAt} as future,
      to_char(e.day, 'YYYY-MM-DD') as end_day, (e.day::timestamp at time zone ${tz}) > ${nowAt} as running
    from (values ${starts}) b(start)
      cross join lateral (select least((b.start + ${`1 ${context.interval}`}::interval)::date, ${context.to}::date + 1) as day) e
    order by b.start`.execute(db);
  // The day whose midnight each snapshot is taken at (the running one: today's, plus today's instants).
  const snapshotDay = (end: { end_day: string; running: boolean }) => (end.running ? today : end.end_day);
  const taken = ends.rows.filter((end) => !end.future);
  const dayBounds = [...new Set(taken.map(snapshotDay))].sort();
  const before = new Map<string, number>(dayBounds.map((day) => [day, 0]));
  if (firstDay !== null && dayBounds.length > 0 && addDays(dayBounds.at(-1)!, -1) >= firstDay) {
    const last = addDays(dayBounds.at(-1)!, -1);
    const key = snapshotKey(context.metricName, rule, db);
    const sums = await withRollupDays(
      { ...context, from: firstDay, to: last },
      { key, readsClock: false, anchor: backlogAnchor },
      buildDays(context, rule, key),
      (rollupDb) =>
        sql<{ slot: number; n: number }>`
        select width_bucket(r.day, ${dayBounds}::date[]) as slot, sum(r.num - r.den)::int as n
        from metric_day_rollup r
        where r.workspace_id = ${workspaceId} and r.metric = ${key} and r.time_zone = ${tz}
          and r.dimension = ${slice.dimension} and r.value = any(${slice.values}::text[])
          and r.day >= ${firstDay}::date and r.day <= ${last}::date
        group by 1`.execute(rollupDb),
    );
    // Slot j holds the days from dayBounds[j−1] (0: before the first): a snapshot at dayBounds[j] sums slots ≤ j.
    const bySlot = new Map(sums.rows.map((row) => [Number(row.slot), Number(row.n)]));
    let running = 0;
    dayBounds.forEach((day, index) => {
      running += bySlot.get(index) ?? 0;
      before.set(day, running);
    });
  }
  let sinceMidnight = 0;
  if (taken.some((end) => end.running)) {
    const midnight = instant(today, tz);
    const moved = await sql<{ n: number }>`
      select (count(*) filter (where x.s >= ${midnight} and x.s < ${nowAt} and (x.f is null or x.f >= x.s))
        - count(*) filter (where x.f >= ${midnight} and x.f < ${nowAt} and x.f >= x.s))::int as n
      from (${movingItems(context, rule, midnight, nowAt)}) x`.execute(db);
    sinceMidnight = Number(moved.rows[0]!.n);
  }
  const none = { value: null, numerator: null, denominator: null };
  const rows = new Map<string, Omit<MetricPoint, 'start'>>(
    ends.rows.map((end) => {
      if (end.future) return [end.start, none];
      const count = before.get(snapshotDay(end))! + (end.running ? sinceMidnight : 0);
      return [end.start, { value: count, numerator: count, denominator: null }];
    }),
  );
  const series = fillSeries(context.buckets, rows, none);
  const last = series.findLast((point) => point.value !== null);
  return {
    series,
    total: { value: last?.value ?? null, numerator: last?.numerator ?? null, denominator: null },
  };
}
