import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  histogramBounds,
  rollupPercentiles,
  sortedValues,
} from '../../src/features/metrics/day-rollup-percentile.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The two-pass percentile of the day rollups (src/features/metrics/day-rollup-percentile.ts)
 * equals percentile_cont over the raw values exactly (unrounded): random values (ties, zero,
 * negatives, the histogram's own bounds, whole and fractional minutes, huge ones) in random rows
 * of random buckets, built with the rollup's own sorted-values and histogram SQL.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await sql`create table percentile_values (run int, k int, part int, v float8)`.execute(t.database.db);
});
afterAll(() => t.close());

const value = fc.oneof(
  fc.constantFrom(...histogramBounds.slice(0, 40), 0, 1, 2, 60, 61.5),
  fc.integer({ min: -5, max: 5000 }),
  fc.double({ min: -50, max: 3_000_000, noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: 0, max: 120, noNaN: true }),
);
const row = fc.record({
  k: fc.integer({ min: 1, max: 4 }),
  values: fc.array(value, { minLength: 1, maxLength: 60 }),
});

let run = 0;

describe('rollup percentiles', () => {
  it('equal percentile_cont over the raw values', async () => {
    const db = t.database.db;
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(0.5, 0.9, 0.1, 0.25, 0.99, 0, 1),
        async (rows, p) => {
          run += 1;
          const planted = rows.flatMap((planned, part) =>
            planned.values.map((v) => ({ run, k: planned.k, part, v: Object.is(v, -0) ? 0 : v })),
          );
          await db
            .insertInto('percentile_values' as never)
            .values(planted as never)
            .execute();
          // Rows as the rollup build makes them: values sorted, histogram by width_bucket over the bounds.
          const rollupRows = sql`select g.k, g.vals, h.bins, h.counts
            from (select k, part, ${sortedValues} as vals from percentile_values where run = ${run}
              group by k, part) g
            join (select k, part, array_agg(b order by b)::smallint[] as bins, array_agg(n order by b) as counts
              from (select k, part, width_bucket(v, ${histogramBounds}::float8[]) as b, count(*)::int as n
                from percentile_values where run = ${run} group by 1, 2, 3) x
              group by k, part) h using (k, part)`;
          const fast = await rollupPercentiles(db, rollupRows, p);
          const raw = await sql<{ k: number | null; value: number; n: number }>`
            select k, percentile_cont(${p}::float8) within group (order by v) as value, count(*)::int as n
            from percentile_values where run = ${run} group by grouping sets ((k), ())`.execute(db);
          const key = (r: { k: number | null }) => r.k ?? 0;
          expect([...fast].sort((a, b) => key(a) - key(b))).toEqual(
            raw.rows
              .map((r) => ({ k: r.k === null ? null : Number(r.k), value: Number(r.value), n: Number(r.n) }))
              .sort((a, b) => key(a) - key(b)),
          );
        },
      ),
      { numRuns: 150 },
    );
  }, 600_000);
});
