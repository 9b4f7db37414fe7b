import { sql } from 'kysely';
import type { MetricDefinition, MetricRunContext } from './definition.ts';
import { itemRows } from './items.ts';
import { type BacklogRule, periodBounds } from './snapshot.ts';

/**
 * The items behind a backlog number: those open at the snapshot of the period (its end, or now if
 * sooner) that meet the rule — counted there exactly when `from` < T and neither resolved nor
 * closed by T. A period still to come has none. Newest first, `at` = when the item was created.
 */
async function backlogItems(context: MetricRunContext, rule: BacklogRule, limit: number) {
  const { start, end } = periodBounds(context);
  const from = rule.from ?? sql`i.created_at`;
  return itemRows(
    context.db,
    sql`with t as (select least(${end}, now()) as at)
    select i.id, i.ref, i.subject, i.kind, i.status, i.created_at as at, null as "inNumerator"
    from items i, t
    where ${context.itemsScope} and ${start} <= now()
      and i.created_at < t.at and ${from} < t.at
      and (least(i.closed_at, i.resolved_at) is null or least(i.closed_at, i.resolved_at) >= t.at)
      and (${rule.where ?? sql`true`})
    order by i.created_at desc, i.id desc
    limit ${limit}`,
  );
}

/** A backlog metric with its drill-down: the items open at the snapshot under the same rule. */
export function withBacklogItems(metric: MetricDefinition, rule: BacklogRule = {}): MetricDefinition {
  if (metric.compute.kind !== 'custom') return metric;
  return {
    ...metric,
    compute: { ...metric.compute, items: (context, limit) => backlogItems(context, rule, limit) },
  };
}
