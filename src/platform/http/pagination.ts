import { AppError } from '../errors.ts';
import { uuidPattern } from '../ids.ts';

/** Keyset pagination over UUIDv7 ids (newest first): the cursor is the last id of the page. */
export function checkCursor(after: string | undefined): string | undefined {
  if (after !== undefined && !uuidPattern.test(after)) {
    throw new AppError('validation_failed', 'query.after: must be the `next` cursor of a previous page.', {
      errors: [{ path: 'query.after', message: 'must be the `next` cursor of a previous page.' }],
    });
  }
  return after;
}

const cursorTimePattern =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/;

/**
 * A time a cursor may carry back to the database: ISO 8601 (or PostgreSQL's text form) of a real
 * calendar date. Date.parse alone lets through what PostgreSQL refuses ("1", "2026-02-30").
 */
export function isCursorTime(value: unknown): value is string {
  const match = typeof value === 'string' ? cursorTimePattern.exec(value) : null;
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  return (
    year! >= 1 &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    hour! < 24 &&
    minute! < 60 &&
    second! < 60
  );
}

/**
 * A text a cursor may carry back to the database: no NUL (PostgreSQL refuses it), not huge.
 * U+FFFD stays allowed: names hold it (badly decoded imports) and their cursors must work.
 */
export function isCursorText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 1000 && !value.includes('\u0000');
}

/** Call with limit + 1 rows fetched: returns the page and the cursor of the next one. */
export function toPage<Row extends { id: string }, Item>(
  rows: Row[],
  limit: number,
  map: (row: Row) => Item,
) {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  return { data: pageRows.map(map), next: hasMore ? pageRows.at(-1)!.id : null };
}
