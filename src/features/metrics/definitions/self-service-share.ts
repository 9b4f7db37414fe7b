import { sql } from 'kysely';
import type { MetricDefinition, MetricRunContext } from '../definition.ts';
import { bucketNumber, metricItemsTable } from '../facts.ts';
import { itemRows } from '../items.ts';
import { fillSeries, inPeriod, percentOf } from '../run.ts';
import { periodBounds } from '../snapshot.ts';

async function share(context: MetricRunContext) {
  const { start, end } = periodBounds(context);
  const result = await sql<{ k: number | null; helped: number; staff: number }>`
    select k, count(*) filter (where helped)::int as helped, count(*) filter (where not helped)::int as staff
    from (
      select ${bucketNumber(sql.ref('f.created_at'), context)} as k, true as helped
      from kb_feedback f
      where f.workspace_id = ${context.workspaceId} and f.helpful
        and f.created_at >= ${start} and f.created_at < ${end}
      union all
      select ${bucketNumber(sql.ref('i.created_at'), context)}, false
      from ${metricItemsTable(context)} i
      where ${inPeriod('created_at', context, sql`i.kind in ('request', 'question')`)}
    ) x
    group by grouping sets ((k), ())`.execute(context.db);
  const point = (helped: number, staff: number) => ({
    value: percentOf(helped, helped + staff),
    numerator: helped,
    denominator: helped + staff,
  });
  const rows = new Map<string, ReturnType<typeof point>>();
  for (const row of result.rows) {
    const bucket = row.k === null ? undefined : context.buckets[row.k - 1];
    if (bucket) rows.set(bucket, point(row.helped, row.staff));
  }
  const total = result.rows.find((row) => row.k === null);
  return {
    series: fillSeries(context.buckets, rows, point(0, 0)),
    total: point(total?.helped ?? 0, total?.staff ?? 0),
  };
}

/** The drill-down: the requests and questions created in the period, the staff-handled part of the denominator. */
function staffHandled(context: MetricRunContext, limit: number) {
  return itemRows(
    context.db,
    sql`select i.id, i.ref, i.subject, i.kind, i.status, i.created_at as at, false as "inNumerator"
    from items i where ${inPeriod('created_at', context, sql`i.kind in ('request', 'question')`)}
    order by i.created_at desc, i.id desc
    limit ${limit}`,
  );
}

export const metric: MetricDefinition = {
  name: 'self_service_share',
  label: 'Self-service share',
  unit: 'percent',
  better: 'up',
  description:
    'Knowledge-base answers marked "this helped" in the period (portal browsing and suggestions while writing a ' +
    'request) ÷ (those + the requests and questions created in the period, which staff handle). The ' +
    'knowledge-base answers are not narrowed by the items filter (they have no kind, channel, team or owner).',
  compute: {
    kind: 'custom',
    run: share,
    items: staffHandled,
    itemsNote:
      'Knowledge-base answers marked "this helped" count in the numerator but are not items, so they are not ' +
      'listed: these are the requests and questions handled by staff, the rest of the denominator.',
  },
};
