import { sql } from 'kysely';
import { AppError } from '../../platform/errors.ts';
import { isCursorTime } from '../../platform/http/pagination.ts';
import { uuidPattern } from '../../platform/ids.ts';

/**
 * Keyset cursors over (timestamp, id): base64url(JSON) of a tag naming the list, the last row's
 * timestamp as text with microseconds (JavaScript dates keep only milliseconds) and its id.
 * A null timestamp is allowed for lists where "never" sorts first (gone quiet).
 */
export interface TimeCursor {
  at: string | null;
  id: string;
}

/** Select this as `cursor_at` to put the exact timestamp into the cursor. */
export const microsText = (column: string) =>
  sql<string | null>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeTimeCursor(tag: string, at: string | null, id: string): string {
  return Buffer.from(JSON.stringify({ t: tag, at, id })).toString('base64url');
}

export function decodeTimeCursor(after: string, tag: string): TimeCursor {
  const message = 'must be the `next` value of a previous page of this list.';
  let parsed: { t?: unknown; at?: unknown; id?: unknown } | null = null;
  try {
    parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {}
  const valid =
    parsed &&
    parsed.t === tag &&
    typeof parsed.id === 'string' &&
    uuidPattern.test(parsed.id) &&
    (parsed.at === null || isCursorTime(parsed.at));
  if (!valid) {
    throw new AppError('validation_failed', `query.after: ${message}`, {
      errors: [{ path: 'query.after', message }],
    });
  }
  return { at: parsed!.at as string | null, id: parsed!.id as string };
}

/** Call with limit + 1 rows: the page and the cursor of the next one. */
export function toTimePage<Row extends { id: string; cursor_at: string | null }, Item>(
  rows: Row[],
  limit: number,
  tag: string,
  map: (row: Row) => Item,
) {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(map),
    next: hasMore && last ? encodeTimeCursor(tag, last.cursor_at, last.id) : null,
  };
}
