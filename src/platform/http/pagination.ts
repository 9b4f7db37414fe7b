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
