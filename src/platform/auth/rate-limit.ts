import type { Queryable } from '../db/database.ts';
import { AppError } from '../errors.ts';

/**
 * Fixed-window counters in the database, so that every node sees the same counts.
 * Old windows are removed by the maintenance job.
 */
export interface Limit {
  key: string;
  max: number;
  windowSeconds: number;
}

function windowStart(windowSeconds: number, now = Date.now()): Date {
  const size = windowSeconds * 1000;
  return new Date(Math.floor(now / size) * size);
}

export async function countHits(db: Queryable, limit: Limit): Promise<number> {
  const row = await db
    .selectFrom('rate_limits')
    .select('count')
    .where('key', '=', limit.key)
    .where('window_start', '=', windowStart(limit.windowSeconds))
    .executeTakeFirst();
  return row?.count ?? 0;
}

export async function recordHit(db: Queryable, limit: Limit): Promise<number> {
  const row = await db
    .insertInto('rate_limits')
    .values({ key: limit.key, window_start: windowStart(limit.windowSeconds), count: 1 })
    .onConflict((conflict) =>
      conflict
        .columns(['key', 'window_start'])
        .doUpdateSet((eb) => ({ count: eb('rate_limits.count', '+', 1) })),
    )
    .returning('count')
    .executeTakeFirstOrThrow();
  return row.count;
}

/** Throws 429 when any of the limits is already used up. */
export async function assertUnderLimits(db: Queryable, limits: Limit[], message: string): Promise<void> {
  for (const limit of limits) {
    if ((await countHits(db, limit)) >= limit.max) {
      const windowEnds = windowStart(limit.windowSeconds).getTime() + limit.windowSeconds * 1000;
      throw new AppError('rate_limited', message, {
        retryAfterSeconds: Math.max(1, Math.ceil((windowEnds - Date.now()) / 1000)),
      });
    }
  }
}

/** Counts one hit against each limit in a single statement; returns each limit's count after it. */
export async function recordHits(db: Queryable, limits: Limit[]): Promise<number[]> {
  const rows = await db
    .insertInto('rate_limits')
    .values(
      limits.map((limit) => ({ key: limit.key, window_start: windowStart(limit.windowSeconds), count: 1 })),
    )
    .onConflict((conflict) =>
      conflict
        .columns(['key', 'window_start'])
        .doUpdateSet((eb) => ({ count: eb('rate_limits.count', '+', 1) })),
    )
    .returning(['key', 'count'])
    .execute();
  const counts = new Map(rows.map((row) => [row.key, row.count]));
  return limits.map((limit) => counts.get(limit.key) ?? 0);
}
