import { sql } from 'kysely';
import { runFromDayRollup } from '../day-rollup-read.ts';
import type { MetricDefinition, MetricRunContext } from '../definition.ts';
import { bucketNumber, type CountingComputation, runStandardComputation } from '../facts.ts';
import { itemRows } from '../items.ts';
import { inPeriod, percentOf } from '../run.ts';
import { periodBounds } from '../snapshot.ts';

/** The staff-handled part: requests and questions created, a count the day rollups hold. */
const staffCount: CountingComputation = {
  kind: 'count',
  anchor: 'created_at',
  where: sql`i.kind in ('request', 'question')`,
};

async function share(context: MetricRunContext) {
  const { start, end } = periodBounds(context);
  const staff =
    (context.source === 'rollup' ? await runFromDayRollup(staffCount, context) : null) ??
    (await runStandardComputation(staffCount, context));
  const helped = await sql<{ k: number | null; n: number }>`
    select ${bucketNumber(sql.ref('f.created_at'), context)} as k, count(*)::int as n
    from kb_feedback f
    where f.workspace_id = ${context.workspaceId} and f.helpful
      and f.created_at >= ${start} and f.created_at < ${end}
    group by grouping sets ((1), ())`.execute(context.db);
  const helpedIn = (k: number | null) => helped.rows.find((row) => row.k === k)?.n ?? 0;
  const point = (helped: number, staff: number) => ({
    value: percentOf(helped, helped + staff),
    numerator: helped,
    denominator: helped + staff,
  });
  return {
    series: staff.series.map((bucket, index) => ({
      start: bucket.start,
      ...point(helpedIn(index + 1), bucket.numerator ?? 0),
    })),
    total: point(helpedIn(null), staff.total.numerator ?? 0),
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
