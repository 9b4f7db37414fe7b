import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';

/**
 * Exact percentiles from the day rollups without sorting a year of values.
 *
 * Each rollup row of a percentile holds its values sorted (`vals`) and a sparse histogram of them
 * (`bins`, `counts`): bin b holds the values v with `width_bucket(v, histogramBounds) = b`, i.e.
 * bounds[b] ≤ v < bounds[b + 1], so the values of bin b are a contiguous slice of `vals`.
 * A bucket's percentile is found in two passes: the rows' histograms summed per bin give the
 * cumulative counts, hence the bin of each wanted rank; then only the values of those one or two
 * bins are sliced from the rows, sorted and indexed. The interpolation is percentile_cont's
 * (`interpolate`), so the answer equals percentile_cont over the raw values exactly.
 */

/** Bin bounds: 0, then 2^(j/8) from 1/4 to 2^20 (minutes: ~2 years); ~9% wide bins. */
export const histogramBounds: number[] = [
  0,
  ...Array.from({ length: 177 }, (_, index) => 2 ** ((index - 16) / 8)),
];

/** A group's values `v` sorted, for a rollup row's `vals`. */
export const sortedValues = sql`array_agg(v order by v) filter (where v is not null)`;

/** percentile_cont's interpolation between the values at 0-based ranks floor and ceil of p·(n−1). */
export function interpolate(p: number, n: number, low: number, high: number): number {
  const position = p * (n - 1);
  const first = Math.floor(position);
  if (first === Math.ceil(position)) return low;
  return low + (position - first) * (high - low);
}

/**
 * Per bucket k (1-based; null = the whole period) of the rollup rows `rows` (a query yielding
 * `k, vals, bins, counts`): the number of values and the percentile p, unrounded.
 */
export async function rollupPercentiles(
  db: Queryable,
  rows: RawBuilder<unknown>,
  p: number,
): Promise<{ k: number | null; value: number; n: number }[]> {
  // Pass 1: the histogram per bucket and over all, cumulated; the bins of the two ranks.
  const result = await sql<{ k: number | null; n: number; low: number; high: number }>`
    with r as materialized (${rows}),
    h as (
      select r.k, u.b, sum(u.c)::bigint as n
      from r cross join lateral unnest(r.bins, r.counts) u(b, c)
      group by grouping sets ((r.k, u.b), (u.b))
    ),
    c as (
      select k, b, n, sum(n) over (partition by k order by b) - n as before, sum(n) over (partition by k) as total
      from h
    ),
    q as (
      select distinct k, total, floor(${p}::float8 * (total - 1))::bigint as low,
        ceil(${p}::float8 * (total - 1))::bigint as high
      from c
    ),
    w as (
      select q.k, q.total, q.low, q.high, lo.b as low_bin, lo.before, hi.b as high_bin
      from q
      join c lo on lo.k is not distinct from q.k and lo.before <= q.low and q.low < lo.before + lo.n
      join c hi on hi.k is not distinct from q.k and hi.before <= q.high and q.high < hi.before + hi.n
    )
    -- Pass 2: the values of the bins low_bin..high_bin of the bucket's rows, sorted; the two ranks.
    select w.k, w.total::int as n, s.vals[(w.low - w.before + 1)::int] as low,
      s.vals[(w.high - w.before + 1)::int] as high
    from w cross join lateral (
      select array_agg(v order by v) as vals
      from r cross join lateral (
        select coalesce(sum(u.c) filter (where u.b < w.low_bin), 0)::int as skip,
          coalesce(sum(u.c) filter (where u.b <= w.high_bin), 0)::int as upto
        from unnest(r.bins, r.counts) u(b, c)
      ) o cross join lateral unnest(r.vals[o.skip + 1 : o.upto]) v
      where (w.k is null or r.k = w.k) and o.upto > o.skip
    ) s`.execute(db);
  return result.rows.map((row) => ({
    k: row.k === null ? null : Number(row.k),
    n: Number(row.n),
    value: interpolate(p, Number(row.n), Number(row.low), Number(row.high)),
  }));
}
