import { type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { foldForSearch } from '../../shared/people.ts';
import { type AnySort, atOrBeforeCursor, sortKey, sortValue, tuneTrigrams } from './keyset.ts';
import { listQueryMatch, matchesText, type QueryMatch } from './queries.ts';

/**
 * How much each step of exactQueryPage reads. `walk`: rows of the list tested in its order first;
 * `longWalk`: rows tested when the first walk found enough to expect two pages within them;
 * `containing`: rows containing `q` read through the trigram index before the page is chosen
 * (past this many, q is common). Tests pass small ones to reach every step.
 */
export const listQueryReads = { walk: 1000, longWalk: 10_000, containing: 4000 };

type Cursor = { value: string; id: string };

interface ListPageOptions<DB, TB extends keyof DB, O> {
  /** The raw `q` of the request. */
  q: string | undefined;
  table: 'people' | 'organizations';
  sort: AnySort;
  cursor: Cursor | null;
  /** The page query's limit (the page's size + 1). */
  rows: number;
  /**
   * The list's page query after `cursor`: with `exact`, only the rows containing `q`; with
   * `forgiving`, those and the similar names; with null, without `q`.
   */
  page(match: QueryMatch | null, cursor: Cursor | null): SelectQueryBuilder<DB, TB, O>;
  reads?: typeof listQueryReads;
}

/**
 * One page of a list filtered by `q` (people or organizations): the rows containing it, or, when
 * the list has none, the similar names (as search does), with the trigram thresholds set first.
 */
export async function listPageWithQuery<DB, TB extends keyof DB, O>(
  tx: Queryable,
  options: ListPageOptions<DB, TB, O>,
): Promise<O[]> {
  const { q, cursor, page } = options;
  const folded = q ? foldForSearch(q) : '';
  if (!folded) return page(null, cursor).execute();
  if (!trigramIndexed.test(folded)) {
    // Too short for the trigram index to narrow anything: such a q is common, the list's order finds it.
    const match = await listQueryMatch(tx, q, page('exact', null));
    if (match === 'forgiving') await tuneTrigrams(tx);
    return page(match, cursor).execute();
  }
  const found = await exactQueryPage(tx, folded, options);
  if (found.length > 0) return found;
  // Nothing contains q after the cursor: the list either had its last match before it, or none.
  const match = cursor ? await listQueryMatch(tx, q, page('exact', null)) : 'forgiving';
  if (match === 'exact') return [];
  await tuneTrigrams(tx);
  return page('forgiving', cursor).execute();
}

/** A word of at least three letters or digits: the trigram index can look it up. */
const trigramIndexed = /[\p{L}\p{N}]{3}/u;

/**
 * The rows containing `q` after the cursor, in the list's order, read in three steps instead of
 * trusting the planner's guess of how many rows contain q. That guess comes from a sample and is
 * off by 100× either way: on 1M people a rare family name read by walking the name order took
 * 556 ms (400,000 rows tested to find 51), and a common one read through the trigram index
 * 60 ms (all its 8,000 rows fetched to sort them).
 *
 * 1. The first `reads.walk` rows of the list, in its order, tested: a very common q ("gmail")
 *    fills the page there (through the trigram index it would read a lossy bitmap of most of the
 *    table). If they hold enough to expect two pages within `reads.longWalk` rows, up to that many.
 * 2. Up to `reads.containing` rows containing q, unordered, through the trigram index. If there
 *    were no more, the first of them in the list's order are the page.
 * 3. Else q is common: the page's rows all come at or before the last of step 2's first rows, so
 *    every row containing q up to it is read (the trigram index and the list's order index
 *    intersected) and sorted.
 *
 * Steps 2 and 3 run with only bitmap scans on: with a LIMIT and a high guess the planner would
 * rather scan the table or the whole name index until it has enough, or walk the list's order.
 */
async function exactQueryPage<DB, TB extends keyof DB, O>(
  tx: Queryable,
  q: string,
  options: ListPageOptions<DB, TB, O>,
): Promise<O[]> {
  const { table, sort, cursor, rows, page, reads = listQueryReads } = options;
  const id = sql.ref(`${table}.id`);
  const exact = page('exact', cursor);
  const containing = exact.clearSelect().clearOrderBy().clearLimit();
  const pageOf = async (found: { id: string }[]) =>
    found.length === 0 ? [] : exact.where(id, 'in', found.map((row) => row.id) as never).execute();

  let early = await firstTested(tx, q, options, reads.walk);
  if (early.length < rows && early.length * reads.longWalk >= 2 * rows * reads.walk) {
    early = await firstTested(tx, q, options, reads.longWalk);
  }
  if (early.length === rows) return pageOf(early);

  const planner = await onlyBitmapScans(tx);
  // At least a page, so that past the cap the first `rows` of them are there to bound the page.
  const cap = Math.max(reads.containing, rows);
  let found = await firstInOrder(tx, containing.limit(cap + 1), id, sort, rows);
  const last = found.at(-1);
  if (last && last.read > cap) {
    const bounded = containing.where(atOrBeforeCursor(sort, { value: last.v, id: last.id }));
    found = await firstInOrder(tx, bounded, id, sort, rows);
  }
  await restoreScans(tx, planner);
  return pageOf(found);
}

/** The rows containing q among the first `tested` of the list (after the cursor), in its order. */
async function firstTested<DB, TB extends keyof DB, O>(
  tx: Queryable,
  q: string,
  options: ListPageOptions<DB, TB, O>,
  tested: number,
) {
  const { table, sort, cursor, rows, page } = options;
  const walk = page(null, cursor)
    .clearSelect()
    .select([
      sql.ref(`${table}.id`).as('id'),
      sortKey(sort).as('k'),
      matchesText(q, table, 'exact').as('hit'),
    ])
    .clearLimit()
    .limit(tested);
  const direction = sql.raw(sort.direction);
  const result = await sql<{ id: string }>`
    select id from (${walk}) t where hit order by k ${direction}, id ${direction} limit ${rows}`.execute(tx);
  return result.rows;
}

/** The first `rows` of `candidates` (unordered) in the sort's order, each with how many were read. */
async function firstInOrder<DB, TB extends keyof DB>(
  tx: Queryable,
  candidates: SelectQueryBuilder<DB, TB, object>,
  id: RawBuilder<unknown>,
  sort: AnySort,
  rows: number,
) {
  const direction = sql.raw(sort.direction);
  const keyed = candidates.select([id.as('id'), sortKey(sort).as('k'), sortValue(sort).as('v')]);
  const result = await sql<{ id: string; v: string; read: number }>`
    with m as materialized (${keyed})
    select id, v, (select count(*) from m)::int as read
    from m order by k ${direction}, id ${direction} limit ${rows}`.execute(tx);
  return result.rows;
}

type ScanSettings = { seqscan: string; indexscan: string };

/** Turns sequential and plain index scans off for the rest of the transaction; returns the settings before. */
async function onlyBitmapScans(tx: Queryable): Promise<ScanSettings> {
  const before = await sql<ScanSettings>`select current_setting('enable_seqscan') as seqscan,
    current_setting('enable_indexscan') as indexscan,
    set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)`.execute(tx);
  return before.rows[0]!;
}

async function restoreScans(tx: Queryable, settings: ScanSettings) {
  await sql`select set_config('enable_seqscan', ${settings.seqscan}, true),
    set_config('enable_indexscan', ${settings.indexscan}, true)`.execute(tx);
}
