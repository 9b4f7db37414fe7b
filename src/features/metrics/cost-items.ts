import { sql } from 'kysely';
import { costVersions } from './costs.ts';
import type { MetricRunContext } from './definition.ts';
import { itemRows } from './items.ts';
import { inPeriod } from './run.ts';

/**
 * The items priced by the cost metrics for a period: those created in it (every kind, within the
 * filter), newest first, each with its cost as `value` — the same price as serviceCost in
 * costs.ts gives it: (recorded handling minutes, else its channel's estimate) ÷ 60 × the hourly
 * cost + its channel's cost per contact, with the settings in force on its local creation day
 * (0 before the first version; null when the workspace has no cost settings at all).
 */
export function costItems(context: MetricRunContext, limit: number) {
  return itemRows(
    context.db,
    sql`with v as (${costVersions(context.workspaceId)})
    select i.id, i.ref, i.subject, i.kind, i.status, i.created_at as at, null as "inNumerator",
      case when exists (select 1 from v) then round(coalesce(
        coalesce(i.handling_minutes, (s.handling_minutes ->> i.channel)::numeric, 0) / 60.0 * s.hourly_cost
          + coalesce((s.per_contact ->> i.channel)::numeric, 0), 0), 2) end as value
    from items i
    left join v s on (i.created_at at time zone ${context.timeZone})::date >= s.f
      and (s.u is null or (i.created_at at time zone ${context.timeZone})::date < s.u)
    where ${inPeriod('created_at', context)}
    order by i.created_at desc, i.id desc
    limit ${limit}`,
  );
}
