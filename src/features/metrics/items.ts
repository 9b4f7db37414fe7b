import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { MetricItem } from '../../shared/metrics.ts';

/** Rows of an items query (id, ref, subject, kind, status, at, inNumerator[, value]) as API items. */
export async function itemRows(db: Queryable, query: RawBuilder<unknown>): Promise<MetricItem[]> {
  const result = await sql<
    Omit<MetricItem, 'ref' | 'value'> & { ref: string | number; value?: string | number | null }
  >`${query}`.execute(db);
  return result.rows.map(({ value, ...row }) => ({
    ...row,
    ref: Number(row.ref),
    at: new Date(row.at).toISOString(),
    ...(value === undefined ? {} : { value: value === null ? null : Number(value) }),
  }));
}
