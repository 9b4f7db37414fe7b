import { createHash } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import type { Db, Queryable } from '../../platform/db/database.ts';
import type { MetricFilter } from '../../shared/metrics.ts';
import { histogramBounds, sortedValues } from './day-rollup-percentile.ts';
import type { MetricComputation, MetricRunContext } from './definition.ts';
import { bucketNumber, countingConditions, periodWhere } from './facts.ts';
import { itemsScope } from './scope.ts';

/**
 * Per-day rollups of the standard metrics (migrations/0020_metric_day_rollup.sql): for each local
 * day of the workspace zone, the counts (or a percentile's values) of every item and of each value
 * of one dimension. A period reads ~365 rows a value instead of the year's facts.
 *
 * Freshness: a statement trigger on the facts queues the UTC dates a change touched, per
 * timestamp column (`metric_day_dirty`, migrations/0022_metric_day_dirty_anchors.sql). A read
 * that finds the queue empty and its days built reads in the same transaction, holding the
 * workspace's advisory lock shared (`withRollupDays`). Otherwise, holding it exclusively, it
 * consumes the queue (marking unbuilt, for every metric and zone, the local days overlapping the
 * UTC dates queued for the metric's anchor), builds the missing days of its metric from the facts,
 * reads and commits; the drain job consumes it the same way (and builds). Every rollup write holds
 * the lock and empties the queue before computing, so a change is either seen by the computation
 * or still queued for the next read. A build replaces the rows of the days it builds, so unbuilt
 * days' rows are never read.
 *
 * A metric whose SQL reads the clock (the SLA metrics' `due <= now()`) rolls up complete days only
 * (local midnight after the day ≤ now); its running day and later ones are read from the facts.
 */

export type StandardComputation = Exclude<MetricComputation, { kind: 'custom' }>;

/** The dimensions a rollup holds, with the filter key that selects them and the facts column. */
export const dimensions = [
  { name: 'kind', column: sql`i.kind` },
  { name: 'channel', column: sql`i.channel` },
  { name: 'priority', column: sql`i.priority` },
  { name: 'category', column: sql`i.category_id::text` },
  { name: 'team', column: sql`i.team_id::text` },
  { name: 'owner', column: sql`i.owner_id::text` },
] as const;

export interface RollupSlice {
  dimension: string;
  values: string[];
}

/** What of a rollup a filter reads: every item (''), or some values of one dimension; null: not a rollup filter. */
export function rollupSlice(filter: MetricFilter): RollupSlice | null {
  if (filter.organizationId || filter.tag) return null;
  const slices = [
    filter.kind?.length ? { dimension: 'kind', values: [...filter.kind] } : null,
    filter.channel?.length ? { dimension: 'channel', values: [...filter.channel] } : null,
    filter.priority?.length ? { dimension: 'priority', values: [...filter.priority] } : null,
    // Ids as PostgreSQL prints them (the rollup stores uuid::text): lower case.
    filter.categoryId ? { dimension: 'category', values: [filter.categoryId.toLowerCase()] } : null,
    filter.teamId ? { dimension: 'team', values: [filter.teamId.toLowerCase()] } : null,
    filter.ownerId ? { dimension: 'owner', values: [filter.ownerId.toLowerCase()] } : null,
  ].filter((slice) => slice !== null);
  if (slices.length > 1) return null;
  return slices[0] ?? { dimension: '', values: [''] };
}

/**
 * The rollup key of a metric: its name and a hash of its SQL, so a changed definition starts
 * afresh; and whether its SQL reads the clock (e.g. `due <= now()`), so only complete days roll up.
 */
export function rollupMetric(name: string, compute: StandardComputation, db: Queryable): RollupMetric {
  const parts: string[] = [compute.kind, compute.anchor];
  const compiled = (fragment?: RawBuilder<unknown>) => {
    if (!fragment) return '';
    const query = fragment.compile(db);
    return `${query.sql}|${JSON.stringify(query.parameters)}`;
  };
  parts.push(compiled(compute.where));
  // The values sorted with their histogram (day-rollup-percentile.ts): a new layout, a new key.
  if (compute.kind === 'percentile')
    parts.push(String(compute.p), compiled(compute.value), `sorted:${histogramBounds.join(',')}`);
  if (compute.kind === 'ratio') parts.push(compiled(compute.numerator), compiled(compute.denominator));
  const text = parts.join('\n');
  return {
    key: `${name}:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`,
    readsClock: readsClock(text),
    // An anchor the queue does not name (a new timestamp column) is rebuilt on any queued day.
    anchor: queuedAnchors.includes(compute.anchor) ? compute.anchor : everyAnchor,
  };
}

/**
 * A rollup: its key; whether it reads the clock; the timestamp column whose day each item counts
 * in (the days queued dirty for it are rebuilt), or `everyAnchor` for a rollup that depends on
 * several (the backlog snapshots).
 */
export interface RollupMetric {
  key: string;
  readsClock: boolean;
  anchor: string;
}

export const everyAnchor = '*';

/**
 * The anchor of the backlog (snapshot) rollups: a day holds the items that start counting (created,
 * first breached) or stop (resolved, closed) that day; the age buckets start N days after creation.
 */
export const backlogAnchor = 'backlog';
const backlogDependencies = [
  'created_at',
  'first_response_breached_at',
  'resolution_breached_at',
  'resolved_at',
  'closed_at',
];

/** The timestamp columns the dirty queue names (metric_day_dirty_days in migrations/0022_…). */
export const queuedAnchors = [
  'created_at',
  'escalated_at',
  'first_response_due_at',
  'resolution_due_at',
  'first_responded_at',
  'first_response_breached_at',
  'resolution_breached_at',
  'resolved_at',
  'informed_at',
  'thanked_at',
  'closed_at',
];

/**
 * Whether SQL reads the clock: the time functions, `'now'`/`'today'`… literals, and `age` of one
 * argument (age from now). Errs towards true, which only means today and later read the facts.
 */
export function readsClock(text: string): boolean {
  return /\b(now|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday)\s*\(|\b(current_date|current_time|current_timestamp|localtime|localtimestamp)\b|'\s*(now|today|tomorrow|yesterday)\s*'|\bage\s*\([^,()]*(\([^()]*\)[^,()]*)*\)/i.test(
    text,
  );
}

/**
 * Writes a rollup's rows of the local days [start, last] (replacing any), in the transaction
 * that holds the workspace's rollup lock; `withRollupDays` records the days as built.
 */
export type DayBuilder = (db: Queryable, start: string, last: string) => Promise<void>;

export const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Makes sure the rollup of `key` holds the days of the period it can hold, then reads it with
 * `read`, given the last of those days (the rollup covers [from, min(to, lastDay)]; later days are
 * read from the facts). A metric that reads the clock rolls up complete days only (local midnight
 * after the day ≤ now); any other holds every day, today and future ones included: a later change
 * is queued as dirty.
 *
 * The check and the read run in one transaction under the workspace's rollup lock, shared while
 * the rollup is complete: a reader of another metric that consumes the dirty queue drops the
 * queued days of every metric, and must not do so between this check and this read. A build
 * takes the lock exclusively in a transaction of its own (raising a shared lock could deadlock
 * two readers) and reads before it commits.
 */
export async function withRollupDays<T>(
  context: MetricRunContext,
  { key, readsClock, anchor }: RollupMetric,
  buildDays: DayBuilder,
  read: (db: Queryable, lastDay: string) => Promise<T>,
): Promise<T> {
  const { workspaceId, timeZone: tz } = context;
  const last = readsClock ? sql`(now() at time zone ${tz})::date - 1` : sql`${context.to}::date`;
  const look = async (db: Queryable) => {
    const result = await sql<{ dirty: boolean; built: number; last_day: string }>`
      select exists (select 1 from metric_day_dirty where workspace_id = ${workspaceId}) as dirty,
        to_char(${last}, 'YYYY-MM-DD') as last_day,
        (select count(*)::int from metric_day_built where workspace_id = ${workspaceId} and metric = ${key}
          and time_zone = ${tz} and day >= ${context.from}::date
          and day <= least(${context.to}::date, ${last})) as built`.execute(db);
    const { dirty, built, last_day: lastDay } = result.rows[0]!;
    const end = context.to < lastDay ? context.to : lastDay;
    const days = (Date.parse(end) - Date.parse(context.from)) / 86_400_000 + 1;
    return { lastDay, end, complete: end < context.from || (!dirty && built === days) };
  };
  const buildAndRead = async (db: Queryable) => {
    await lockWorkspaceRollups(db, workspaceId);
    const { lastDay, end, complete } = await look(db);
    if (!complete) {
      await consumeDirtyDays(db, workspaceId);
      for (const [start, last] of await missingRuns(db, context, key, end)) {
        await sql`delete from metric_day_built where workspace_id = ${workspaceId} and metric = ${key}
          and time_zone = ${tz} and day between ${start}::date and ${last}::date`.execute(db);
        await buildDays(db, start, last);
        await sql`
          insert into metric_day_built (workspace_id, time_zone, metric, day, anchor)
          select ${workspaceId}, ${tz}, ${key}, d::date, ${anchor}
          from generate_series(${start}::date, ${last}::date, interval '1 day') d`.execute(db);
      }
    }
    return read(db, lastDay);
  };
  if (context.db.isTransaction) {
    // The caller's transaction (the weekly digest) would hold any lock until it commits, which
    // would hold up every metric read of the workspace: a complete rollup is read without one
    // there (a queue consumed meanwhile can drop days from that read), a build takes it.
    const { lastDay, complete } = await look(context.db);
    return complete ? read(context.db, lastDay) : buildAndRead(context.db);
  }
  const readIfComplete = await context.db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock_shared(${rollupLockKey(workspaceId)})`.execute(tx);
    const { lastDay, complete } = await look(tx);
    return complete ? { value: await read(tx, lastDay) } : null;
  });
  if (readIfComplete) return readIfComplete.value;
  return context.db.transaction().execute(buildAndRead);
}

/**
 * Rollup keys of the snapshot (backlog) metrics start with this prefix. Their rows also depend on
 * instants the queue does not hold: `created_at + N days` for N in `snapshotShiftDays` (the age
 * buckets). Those fall on the local dates of the queued UTC date of created_at + N days, give or
 * take a day (DST moves an interval of days by an hour).
 */
export const snapshotKeyPrefix = 'snapshot/';
export const snapshotShiftDays = [7, 30];

/**
 * Consumes the dirty queue of every workspace that has one, each in its own short transaction
 * under its rollup lock (the periodic job: a workspace whose metrics are not read would otherwise
 * let the queue grow). One failing workspace does not stop the others: returns the failures.
 */
export async function drainDirtyDays(db: Db): Promise<string[]> {
  const queued = await sql<{ workspace_id: string }>`
    select distinct workspace_id from metric_day_dirty`.execute(db);
  const failed: string[] = [];
  for (const { workspace_id: workspaceId } of queued.rows) {
    try {
      await db.transaction().execute(async (tx) => {
        await lockWorkspaceRollups(tx, workspaceId);
        await consumeDirtyDays(tx, workspaceId);
      });
    } catch (error) {
      failed.push(`${workspaceId}: ${(error as Error).message}`);
    }
  }
  return failed;
}

const rollupLockKey = (workspaceId: string) =>
  sql`hashtextextended(${`metric_day_rollup:${workspaceId}`}, 0)`;

function lockWorkspaceRollups(db: Queryable, workspaceId: string) {
  return sql`select pg_advisory_xact_lock(${rollupLockKey(workspaceId)})`.execute(db);
}

/**
 * Empties the workspace's dirty queue, marking unbuilt (every metric and zone) the local days that
 * the queued (UTC date, anchor) rows invalidate (`dirtyBuiltDays`): in a rollup's zone, the local
 * days (±`margin`) whose span overlaps that UTC day. The rollup rows stay: a build replaces the
 * rows of the days it builds, and a read reads built days only.
 */
async function consumeDirtyDays(db: Queryable, workspaceId: string) {
  const gone = await sql<{ day: string; anchor: string }>`
    delete from metric_day_dirty where workspace_id = ${workspaceId}
    returning to_char(day, 'YYYY-MM-DD') as day, anchor`.execute(db);
  if (gone.rows.length === 0) return;
  const unbuilt = dirtyBuiltDays(gone.rows);
  const column = <K extends keyof (typeof unbuilt)[number]>(name: K) => unbuilt.map((row) => row[name]);
  // A local day, from its midnight to the next as a build buckets them (`day::timestamp at time
  // zone`: where midnight happens twice, the later one), unbuilt when it overlaps the UTC day.
  const midnight = (day: RawBuilder<unknown>) => sql`(${day})::timestamp at time zone b.time_zone`;
  await sql`delete from metric_day_built b
    using unnest(${column('anchor')}::text[], ${column('day')}::date[], ${column('margin')}::int[]) d(anchor, day, margin)
    where b.workspace_id = ${workspaceId} and b.anchor = d.anchor
      and b.day between d.day - 1 - d.margin and d.day + 1 + d.margin
      and ${midnight(sql`b.day - d.margin`)} < (d.day + 1)::timestamp at time zone 'UTC'
      and ${midnight(sql`b.day + 1 + d.margin`)} > d.day::timestamp at time zone 'UTC'`.execute(db);
}

/** The queued anchors the built days of a rollup depend on, by the anchor those days carry. */
function dependencies(anchor: string): string[] {
  if (anchor === everyAnchor) return queuedAnchors;
  return anchor === backlogAnchor ? backlogDependencies : [anchor];
}

/**
 * The built days a queue of dirty (UTC date, anchor) rows invalidates, as (anchor, UTC date,
 * margin) rows: for the rollups of each anchor (and of `backlogAnchor`, `everyAnchor`), the dates
 * queued for the anchors they depend on, or for `everyAnchor` (rows queued before the queue named
 * anchors); for backlog (and `everyAnchor`) rollups also the creation dates shifted by
 * `snapshotShiftDays`, with a margin of a day (`created_at + interval 'N days'` moves by an hour
 * across a DST change of the session's zone).
 */
export function dirtyBuiltDays(queued: { day: string; anchor: string }[]) {
  const daysOf = (anchors: string[]) =>
    new Set(
      queued
        .filter((row) => row.anchor === everyAnchor || anchors.includes(row.anchor))
        .map((row) => row.day),
    );
  const queuedEvery = queued.some((row) => row.anchor === everyAnchor);
  const anchors = new Set([
    everyAnchor,
    backlogAnchor,
    ...(queuedEvery ? queuedAnchors : queued.map((row) => row.anchor)),
  ]);
  return [...anchors].flatMap((anchor) => {
    const days = [...daysOf(dependencies(anchor))].map((day) => ({ anchor, day, margin: 0 }));
    const created = anchor === everyAnchor || anchor === backlogAnchor ? [...daysOf(['created_at'])] : [];
    const shifted = [
      ...new Set(snapshotShiftDays.flatMap((shift) => created.map((day) => addDays(day, shift)))),
    ].map((day) => ({ anchor, day, margin: 1 }));
    return [...days, ...shifted];
  });
}

const maxRuns = 48;

/** The period's complete days not built yet, as runs of days [first, last]. */
async function missingRuns(db: Queryable, context: MetricRunContext, key: string, end: string) {
  const result = await sql<{ day: string }>`
    select to_char(d, 'YYYY-MM-DD') as day
    from generate_series(${context.from}::date, ${end}::date, interval '1 day') d
    where not exists (select 1 from metric_day_built b where b.workspace_id = ${context.workspaceId}
      and b.metric = ${key} and b.time_zone = ${context.timeZone} and b.day = d::date)
    order by d`.execute(db);
  return dayRuns(result.rows.map((row) => row.day));
}

/**
 * Sorted days as runs [first, last] to build, each read by index: consecutive days, and days one
 * built day apart (rebuilding a day costs about what another statement does). Past `maxRuns`, the
 * runs closest together are joined (rebuilding the built days between them) until that many are left.
 */
export function dayRuns(days: string[]): [string, string][] {
  const runs: [string, string][] = [];
  for (const day of days) {
    const run = runs.at(-1);
    if (run && addDays(run[1], 2) >= day) run[1] = day;
    else runs.push([day, day]);
  }
  while (runs.length > maxRuns) {
    let closest = 0;
    const gap = (index: number) => Date.parse(runs[index + 1]![0]) - Date.parse(runs[index]![1]);
    for (let index = 1; index < runs.length - 1; index++) if (gap(index) < gap(closest)) closest = index;
    runs.splice(closest, 2, [runs[closest]![0], runs[closest + 1]![1]]);
  }
  return runs;
}

/**
 * Builds the days [start, last] of a metric's rollup from the facts, with the bucketing of the
 * facts path (width_bucket over the local midnights, one bucket a day) and its conditions.
 */
export async function buildStandardDays(
  db: Queryable,
  compute: StandardComputation,
  context: MetricRunContext,
  key: string,
  start: string,
  last: string,
) {
  const { workspaceId, timeZone: tz } = context;
  await sql`delete from metric_day_rollup where workspace_id = ${workspaceId} and metric = ${key}
    and time_zone = ${tz} and day between ${start}::date and ${last}::date`.execute(db);
  const days = dayContext(db, context, start, last);
  const where = periodWhere(compute.anchor, days, compute.where);
  const day = bucketNumber(sql.ref(`i.${compute.anchor}`), days);
  const { columns, sets, dimensionName, dimensionValue } = dimensionGrouping();
  const groupOf = sql`case ${dimensionName} else '' end as dimension, coalesce(${dimensionValue}) as value`;
  const insert = sql`insert into metric_day_rollup (workspace_id, time_zone, metric, dimension, value, day, num, den, vals, bins, counts)`;
  const row = sql`${workspaceId}, ${tz}, ${key}, g.dimension, coalesce(g.value, ''), ${start}::date + g.k - 1, g.num, g.den`;
  if (compute.kind !== 'percentile') {
    const { numerator, denominator } = countingConditions(compute);
    await sql`${insert}
      select ${row}, null, null, null
      from (
        select k, ${groupOf}, count(*) filter (where n)::int as num, count(*) filter (where d)::int as den
        from (select ${day} as k, ${columns}, (${numerator}) as n, (${denominator}) as d
          from metric_item_facts i where ${where}) x
        group by grouping sets ((k), ${sets})
      ) g
      where g.dimension = '' or g.value is not null`.execute(db);
    return;
  }
  // A percentile: the values sorted, and their histogram (day-rollup-percentile.ts) grouped in one
  // pass with the bin as a further key (a subquery per row unnesting its values costs far more).
  const binSets = sql.join(dimensions.map((_, index) => sql`(k, ${sql.ref(`d${index}`)}, b)`));
  await sql`
    with x as materialized (
      select ${day} as k, ${columns}, (${compute.value})::float8 as v from metric_item_facts i where ${where}
    ),
    h as (
      select k, dimension, value, array_agg(b order by b)::smallint[] as bins, array_agg(n order by b) as counts
      from (
        select k, ${groupOf}, b, count(*)::int as n
        from (select x.*, width_bucket(v, ${histogramBounds}::float8[]) as b from x where v is not null) xb
        group by grouping sets ((k, b), ${binSets})
      ) hb
      group by k, dimension, value
    )
    ${insert}
    select ${row}, g.vals, h.bins, h.counts
    from (
      select k, ${groupOf}, count(v)::int as num, 0 as den, ${sortedValues} as vals
      from x group by grouping sets ((k), ${sets})
    ) g
    left join h on h.k = g.k and h.dimension = g.dimension and h.value is not distinct from g.value
    where g.dimension = '' or g.value is not null`.execute(db);
}

/**
 * Grouping by day (k) and each dimension: `columns` selects the dimensions of the facts row `i`
 * as d0…d5, `sets` are the grouping sets (k, dN), and `dimensionName` / `dimensionValue` say which
 * dimension (`case … else '' end`) and value a grouped row is of.
 */
export function dimensionGrouping() {
  return {
    columns: sql.join(
      dimensions.map((dimension, index) => sql`${dimension.column} as ${sql.ref(`d${index}`)}`),
    ),
    names: sql.join(dimensions.map((_, index) => sql.ref(`d${index}`))),
    sets: sql.join(dimensions.map((_, index) => sql`(k, ${sql.ref(`d${index}`)})`)),
    dimensionName: sql.join(
      dimensions.map(
        (dimension, index) => sql`when grouping(${sql.ref(`d${index}`)}) = 0 then ${dimension.name}`,
      ),
      sql` `,
    ),
    dimensionValue: sql.join(dimensions.map((_, index) => sql.ref(`d${index}`))),
  };
}

/** A facts context of the days [start, last], one bucket a day, no filter: what a rollup build reads. */
export function dayContext(
  db: Queryable,
  context: MetricRunContext,
  start: string,
  last: string,
): MetricRunContext {
  return {
    ...context,
    db,
    source: 'facts',
    from: start,
    to: last,
    filter: {},
    itemsScope: itemsScope(context.workspaceId, {}),
    buckets: Array.from({ length: (Date.parse(last) - Date.parse(start)) / 86_400_000 + 1 }, (_, index) =>
      addDays(start, index),
    ),
  };
}
