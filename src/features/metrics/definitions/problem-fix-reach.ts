import { sql } from 'kysely';
import type { MetricDefinition, MetricRunContext } from '../definition.ts';
import { bucketNumber, metricItemsTable } from '../facts.ts';
import { itemRows } from '../items.ts';
import { fillSeries } from '../run.ts';
import { periodBounds } from '../snapshot.ts';

/**
 * 'informed' events written by a problem fix (src/features/problems/fix.ts), one per informed item,
 * duplicates merged into another included (their customer was told too): the filter applies to
 * the surviving item.
 */
async function reach(context: MetricRunContext) {
  const { start, end } = periodBounds(context);
  const facts = metricItemsTable(context);
  const result = await sql<{ k: number | null; n: number }>`
    select k, count(*)::int as n from (
    select ${bucketNumber(sql.ref('e.created_at'), context)} as k
    from item_events e
    join ${facts} d on d.id = e.item_id
    join ${facts} i on i.id = coalesce(d.merged_into_id, d.id)
    where e.workspace_id = ${context.workspaceId} and e.type = 'informed'
      and e.data ->> 'problemId' is not null
      and e.created_at >= ${start} and e.created_at < ${end}
      and ${context.itemsScope}
    ) x
    group by grouping sets ((k), ())`.execute(context.db);
  const point = (n: number) => ({ value: n, numerator: n, denominator: null });
  const rows = new Map<string, ReturnType<typeof point>>();
  for (const row of result.rows) {
    const bucket = row.k === null ? undefined : context.buckets[row.k - 1];
    if (bucket) rows.set(bucket, point(row.n));
  }
  return {
    series: fillSeries(context.buckets, rows, point(0)),
    total: point(result.rows.find((row) => row.k === null)?.n ?? 0),
  };
}

/**
 * The drill-down: one row per customer informed of a fix in the period (the informed item, which
 * may be a duplicate merged into another), newest first; `at` is when they were told.
 */
async function informedItems(context: MetricRunContext, limit: number) {
  const { start, end } = periodBounds(context);
  return itemRows(
    context.db,
    sql`select d.id, d.ref, d.subject, d.kind, d.status, e.created_at as at, null as "inNumerator"
    from item_events e
    join items d on d.id = e.item_id
    join items i on i.id = coalesce(d.merged_into_id, d.id)
    where e.workspace_id = ${context.workspaceId} and e.type = 'informed'
      and e.data ->> 'problemId' is not null
      and e.created_at >= ${start} and e.created_at < ${end}
      and ${context.itemsScope}
    order by e.created_at desc, e.id desc
    limit ${limit}`,
  );
}

export const metric: MetricDefinition = {
  name: 'problem_fix_reach',
  label: 'Problem fix reach',
  unit: 'count',
  better: 'up',
  additive: true,
  description:
    'The number of customers informed of a problem fix in the period: one per item whose customer was told ' +
    'when the problem linked to it was fixed (by the day they were told), duplicates merged into another item ' +
    'included (the filter applies to the item they were merged into).',
  compute: { kind: 'custom', run: reach, items: informedItems },
};
