import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { ItemKind } from '../../shared/listening.ts';

/** Which unlinked items a problem is compared with: its linked items' categories, else kinds. */
export interface ComparableScope {
  categoryIds: string[];
  kinds: ItemKind[];
}

/** Per (key, value): observations of linked items, and of comparable items that are not linked. */
export interface CountRow {
  key: string;
  value_key: string;
  shown: string | null;
  linked_count: number;
  others_count: number;
}

/** Pending deltas of a workspace above which a compare folds them into observation_counts first. */
const foldAbove = 1_000;

export const linkedItemsSql = (workspaceId: string, problemId: string) => sql`
  select i.id from items i where i.workspace_id = ${workspaceId} and i.problem_id = ${problemId}
  union
  select m.id from items i join items m on m.merged_into_id = i.id
  where i.workspace_id = ${workspaceId} and i.problem_id = ${problemId}`;

/** The linked items with their category and kind (read here, no join back to items). */
export const linkedScopeSql = (workspaceId: string, problemId: string) => sql`
  select i.id, i.category_id, i.kind from items i
  where i.workspace_id = ${workspaceId} and i.problem_id = ${problemId}
  union
  select m.id, m.category_id, m.kind from items i join items m on m.merged_into_id = i.id
  where i.workspace_id = ${workspaceId} and i.problem_id = ${problemId} and m.workspace_id = ${workspaceId}`;

/** The scope's predicate on a table with category_id and kind columns (items or the counts). */
export function comparableOn(scope: ComparableScope, alias: string): RawBuilder<boolean> {
  return scope.categoryIds.length > 0
    ? sql<boolean>`${sql.ref(`${alias}.category_id`)} = any(${scope.categoryIds}::uuid[])`
    : sql<boolean>`${sql.ref(`${alias}.kind`)} = any(${scope.kinds}::text[])`;
}

/**
 * The counts of the compare panel without reading the comparable items' observations: the
 * comparable side is the scope's total from observation_counts (+ pending deltas, migration
 * 0019) minus the linked items that fall in the scope. Only the linked items' own observations
 * are read. Exactly what counting the observations of linked and comparable items gives
 * (tests/api/problem-compare-counts.test.ts checks it on random data).
 */
export async function compareCounts(
  db: Queryable,
  workspaceId: string,
  problemId: string,
  scope: ComparableScope,
): Promise<CountRow[]> {
  // The planner's estimate for a large linked set (a nested loop over 10,000 items) passes
  // PostgreSQL's JIT threshold, and compiling took 1.1 s of a 1.3 s query; it runs in 0.2 s.
  if (!db.isTransaction)
    return db.transaction().execute((tx) => compareCounts(tx, workspaceId, problemId, scope));
  await foldPendingCounts(db, workspaceId);
  await sql`set local jit = off`.execute(db);
  const result = await sql<CountRow>`
    with linked as materialized (${linkedScopeSql(workspaceId, problemId)}),
    linked_counts as (
      select o.key, o.value_key, count(*)::int as linked_count,
        count(*) filter (where ${comparableOn(scope, 'l')})::int as linked_in_scope
      from linked l
      -- Each linked item's own observations through the item index. "offset 0" keeps this a
      -- nested loop: joined plainly, the planner hashes every observation of the workspace.
      cross join lateral (select o.key, o.value_key from item_observations o
        where o.item_id = l.id and o.workspace_id = ${workspaceId} offset 0) o
      group by o.key, o.value_key
    ),
    scope_counts as (
      select s.key, s.value_key, sum(s.items)::int as items from (
        select c.key, c.value_key, c.items from observation_counts c
        where c.workspace_id = ${workspaceId} and ${comparableOn(scope, 'c')}
        union all
        select d.key, d.value_key, d.delta from observation_count_deltas d
        where d.workspace_id = ${workspaceId} and ${comparableOn(scope, 'd')}
      ) s group by s.key, s.value_key
    ),
    counted as (
      select coalesce(l.key, s.key) as key, coalesce(l.value_key, s.value_key) as value_key,
        coalesce(l.linked_count, 0) as linked_count,
        coalesce(s.items, 0) - coalesce(l.linked_in_scope, 0) as others_count
      from linked_counts l full join scope_counts s on s.key = l.key and s.value_key = l.value_key
    )
    select c.key, c.value_key, c.linked_count, c.others_count,
      (select o.value #>> '{}' from item_observations o
        where o.workspace_id = ${workspaceId} and o.key = c.key and o.value_key = c.value_key
        order by o.item_id limit 1) as shown
    from counted c where c.linked_count > 0 or c.others_count > 0`.execute(db);
  return result.rows;
}

/**
 * Comparable items that are not linked: the scope's items from item_scope_counts (+ pending
 * deltas, migration 0020) minus the linked ones in it. Exactly counting the items of the scope
 * (the property test in tests/api/problem-compare-counts.test.ts checks it).
 */
export async function comparableItemCount(
  db: Queryable,
  workspaceId: string,
  problemId: string,
  scope: ComparableScope,
): Promise<number> {
  const result = await sql<{ n: number }>`
    select coalesce((select sum(c.items) from item_scope_counts c
          where c.workspace_id = ${workspaceId} and ${comparableOn(scope, 'c')}), 0)
      + coalesce((select sum(d.delta) from item_scope_count_deltas d
          where d.workspace_id = ${workspaceId} and ${comparableOn(scope, 'd')}), 0)
      - (select count(*) from (${linkedScopeSql(workspaceId, problemId)}) l
          where ${comparableOn(scope, 'l')}) as n`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

const hasMoreThan = async (db: Queryable, table: string, workspaceId: string, threshold: number) => {
  const pending = await sql<{ n: number }>`
    select count(*)::int as n from (select 1 from ${sql.table(table)}
      where workspace_id = ${workspaceId} limit ${threshold + 1}) d`.execute(db);
  return (pending.rows[0]?.n ?? 0) > threshold;
};

/**
 * Moves a workspace's pending deltas (observation and item counts) into the rollups when there
 * are many (reads add them up either way, so this only bounds their cost). One folder at a time
 * (an advisory lock: the others skip); the moved deltas are deleted in the same transaction, so
 * none counts twice.
 */
export async function foldPendingCounts(db: Queryable, workspaceId: string, threshold = foldAbove) {
  const observations = await hasMoreThan(db, 'observation_count_deltas', workspaceId, threshold);
  const items = await hasMoreThan(db, 'item_scope_count_deltas', workspaceId, threshold);
  if (!observations && !items) return;
  const fold = async (tx: Queryable) => {
    const locked = await sql<{ ok: boolean }>`
      select pg_try_advisory_xact_lock(hashtext('observation_counts_fold')) as ok`.execute(tx);
    if (!locked.rows[0]?.ok) return;
    if (observations) {
      await sql`
        with moved as (
          delete from observation_count_deltas where workspace_id = ${workspaceId}
          returning workspace_id, category_id, kind, key, value_key, delta
        )
        insert into observation_counts as c (workspace_id, category_id, kind, key, value_key, items)
        select workspace_id, category_id, kind, key, value_key, sum(delta)::int from moved
        group by workspace_id, category_id, kind, key, value_key
        order by workspace_id, category_id, kind, key, value_key
        on conflict (workspace_id, category_id, kind, key, value_key)
        do update set items = c.items + excluded.items`.execute(tx);
    }
    if (items) {
      await sql`
        with moved as (
          delete from item_scope_count_deltas where workspace_id = ${workspaceId}
          returning workspace_id, category_id, kind, delta
        )
        insert into item_scope_counts as c (workspace_id, category_id, kind, items)
        select workspace_id, category_id, kind, sum(delta)::int from moved
        group by workspace_id, category_id, kind
        order by workspace_id, category_id, kind
        on conflict (workspace_id, category_id, kind)
        do update set items = c.items + excluded.items`.execute(tx);
    }
  };
  if (db.isTransaction) await fold(db);
  else await db.transaction().execute(fold);
}
