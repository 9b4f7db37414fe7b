import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { dimensions, rollupSlice, withRollupDays } from './day-rollup.ts';
import type { MetricRunContext } from './definition.ts';

/**
 * What the cost metrics price, per local creation day and channel, from a day rollup
 * (migrations/0021_metric_cost_day_rollup.sql): items, items with recorded handling minutes, and
 * their sum — the rows costs.ts computes from the facts, so the prices (applied when read, with
 * the settings in force each day) give the same numbers. Both cost metrics share it.
 * Null when the filter is not one the rollup holds (two dimensions, an organization, a tag).
 */
const key = 'cost:v1';

function buildDays(context: MetricRunContext) {
  return async (db: Queryable, start: string, last: string) => {
    const { workspaceId, timeZone: tz } = context;
    await sql`delete from metric_day_cost where workspace_id = ${workspaceId} and time_zone = ${tz}
      and day between ${start}::date and ${last}::date`.execute(db);
    const columns = sql.join(
      dimensions.map((dimension, index) => sql`${dimension.column} as ${sql.ref(`d${index}`)}`),
    );
    const sets = sql.join(dimensions.map((_, index) => sql`(day, c, ${sql.ref(`d${index}`)})`));
    const dimensionName = sql.join(
      dimensions.map(
        (dimension, index) => sql`when grouping(${sql.ref(`d${index}`)}) = 0 then ${dimension.name}`,
      ),
      sql` `,
    );
    const dimensionValue = sql.join(dimensions.map((_, index) => sql.ref(`d${index}`)));
    // Materialized: pulled up into the grouping, `c` and the channel dimension would be one
    // expression, and the sets without the dimension would keep it (PostgreSQL server).
    await sql`
      with x as materialized (
        select (i.created_at at time zone ${tz})::date as day, i.channel as c, i.handling_minutes, ${columns}
        from metric_item_facts i
        where i.workspace_id = ${workspaceId} and i.merged_into_id is null
          and i.created_at >= (${start}::timestamp at time zone ${tz})
          and i.created_at < ((${last}::date + 1)::timestamp at time zone ${tz})
      )
      insert into metric_day_cost (workspace_id, time_zone, dimension, value, day, channel, items, recorded, recorded_minutes)
      select ${workspaceId}, ${tz}, g.dimension, coalesce(g.value, ''), g.day, g.c, g.n, g.recorded, g.recorded_minutes
      from (
        select day, c, case ${dimensionName} else '' end as dimension, coalesce(${dimensionValue}) as value,
          count(*)::int as n, count(handling_minutes)::int as recorded,
          coalesce(sum(handling_minutes), 0)::bigint as recorded_minutes
        from x
        group by grouping sets ((day, c), ${sets})
      ) g
      where g.dimension = '' or g.value is not null`.execute(db);
  };
}

/**
 * `read` given the period's `(day, channel, n, recorded, recorded_minutes)` rows from the rollup
 * (built first where missing; typed as the facts query types them), in the transaction that holds
 * the rollup lock; null when the filter is not a rollup one.
 */
export async function costDaysFromRollup<T>(
  context: MetricRunContext,
  read: (days: RawBuilder<unknown>, db: Queryable) => Promise<T>,
): Promise<T | null> {
  const slice = rollupSlice(context.filter);
  if (!slice || context.source !== 'rollup') return null;
  const days = sql`select r.day, r.channel, sum(r.items)::bigint as n, sum(r.recorded)::bigint as recorded,
      sum(r.recorded_minutes)::bigint as recorded_minutes
    from metric_day_cost r
    where r.workspace_id = ${context.workspaceId} and r.time_zone = ${context.timeZone}
      and r.dimension = ${slice.dimension} and r.value = any(${slice.values}::text[])
      and r.day >= ${context.from}::date and r.day <= ${context.to}::date
    group by r.day, r.channel`;
  return withRollupDays(
    context,
    // Rows per local creation day: a change of an item alters its creation day's.
    { key, readsClock: false, anchor: 'created_at' },
    buildDays(context),
    (db) => read(days, db),
  );
}
