import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { isCursorText, isCursorTime } from '../../platform/http/pagination.ts';
import { uuidPattern } from '../../platform/ids.ts';

/**
 * Keyset pagination over any of the sortable columns. The cursor is base64url(JSON) of the
 * sort it belongs to, the last row's sort value and its id (the tie-breaker), so a page
 * continues exactly after the previous one whatever was inserted in between.
 * Timestamps travel as text with microseconds (JavaScript dates only keep milliseconds).
 */
export type SortField = 'name' | 'createdAt' | 'updatedAt';
const columns = { name: 'sort_name', createdAt: 'created_at', updatedAt: 'updated_at' } as const;
export type SortColumn = (typeof columns)[SortField];

export interface Sort {
  name: string;
  column: SortColumn;
  direction: 'asc' | 'desc';
}

export function parseSort(sort: `${'' | '-'}${SortField}`): Sort {
  const desc = sort.startsWith('-');
  const field = (desc ? sort.slice(1) : sort) as SortField;
  return { name: sort, column: columns[field], direction: desc ? 'desc' : 'asc' };
}

/**
 * People also sort by when they were last contacted; never contacted counts as -infinity
 * (first in ascending order: "longest since contact"), as in the index people_last_contacted_idx.
 */
export type PersonSortField = SortField | 'lastContactedAt';
export interface AnySort {
  name: string;
  column: SortColumn | 'last_contacted_at';
  direction: 'asc' | 'desc';
}

export function parsePersonSort(sort: `${'' | '-'}${PersonSortField}`): AnySort {
  if (sort === 'lastContactedAt' || sort === '-lastContactedAt') {
    return { name: sort, column: 'last_contacted_at', direction: sort.startsWith('-') ? 'desc' : 'asc' };
  }
  return parseSort(sort);
}

/** The expression rows are ordered by. */
export function sortKey(sort: AnySort): RawBuilder<unknown> {
  if (sort.column === 'last_contacted_at') return sql`coalesce(last_contacted_at, '-infinity'::timestamptz)`;
  return sql.ref(sort.column);
}

/** The expression whose value goes into the cursor (select it as `sort_value`). */
export function sortValue(sort: AnySort): RawBuilder<string> {
  if (sort.column === 'sort_name') return sql<string>`sort_name`;
  return sql<string>`coalesce(to_char(${sql.ref(sort.column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), '-infinity')`;
}

export function encodeCursor(sort: AnySort, value: string, id: string): string {
  return Buffer.from(JSON.stringify({ s: sort.name, v: value, id })).toString('base64url');
}

function badCursor(message: string) {
  return new AppError('validation_failed', `query.after: ${message}`, {
    errors: [{ path: 'query.after', message }],
  });
}

export function decodeCursor(after: string, sort: AnySort): { value: string; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('must be the `next` value of a previous page.');
  }
  const cursor = parsed as { s?: unknown; v?: unknown; id?: unknown } | null;
  if (
    !cursor ||
    !isCursorText(cursor.v) ||
    typeof cursor.id !== 'string' ||
    !uuidPattern.test(cursor.id) ||
    (sort.column !== 'sort_name' && cursor.v !== '-infinity' && !isCursorTime(cursor.v))
  ) {
    throw badCursor('must be the `next` value of a previous page.');
  }
  if (cursor.s !== sort.name) {
    throw badCursor(
      `this cursor belongs to sort=${String(cursor.s)}; ask again with that sort or without after.`,
    );
  }
  return { value: cursor.v, id: cursor.id };
}

/** `(sort column, id)` strictly after the cursor, in the sort's direction. */
export function afterCursor(sort: AnySort, cursor: { value: string; id: string }): RawBuilder<boolean> {
  return comparedToCursor(sort, cursor, sort.direction === 'desc' ? '<' : '>');
}

/** `(sort column, id)` at or before the cursor, in the sort's direction (an index range, unlike `not after`). */
export function atOrBeforeCursor(sort: AnySort, cursor: { value: string; id: string }): RawBuilder<boolean> {
  return comparedToCursor(sort, cursor, sort.direction === 'desc' ? '>=' : '<=');
}

function comparedToCursor(sort: AnySort, cursor: { value: string; id: string }, op: '<' | '>' | '<=' | '>=') {
  const value =
    sort.column === 'sort_name' ? sql`${cursor.value}` : sql`cast(${cursor.value} as timestamptz)`;
  return sql<boolean>`(${sortKey(sort)}, id) ${sql.raw(op)} (${value}, cast(${cursor.id} as uuid))`;
}

/** Call with limit + 1 rows fetched (each with its `sort_value`): the page and the next cursor. */
export function toListPage<Row extends { id: string; sort_value: string }, Item>(
  rows: Row[],
  limit: number,
  sort: AnySort,
  map: (row: Row) => Item,
) {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(map),
    next: hasMore && last ? encodeCursor(sort, last.sort_value, last.id) : null,
  };
}

/** `%`, `_` and `\` taken literally inside a LIKE pattern. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * Typo tolerance of trigram search, for the current transaction only: 'Jonh Smiht' is 0.29
 * similar to 'John Smith', under pg_trgm's default threshold of 0.3.
 */
export async function tuneTrigrams(tx: Queryable): Promise<void> {
  await sql`select set_config('pg_trgm.similarity_threshold', '0.25', true),
    set_config('pg_trgm.word_similarity_threshold', '0.6', true)`.execute(tx);
}
