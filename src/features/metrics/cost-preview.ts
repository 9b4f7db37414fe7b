import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import {
  type CostSettingsPreview,
  type CostSettingsPreviewBody,
  channelCost,
  roundMoney,
} from '../../shared/metric-costs.ts';
import { inPeriod, metricContext, workspaceTimeZone } from './run.ts';

/** The month to price: the one asked for, else the last full month in the workspace's time zone. */
async function monthBounds(db: Queryable, timeZone: string, now: Date, month: string | undefined) {
  const result = await sql<{ from: string; to: string }>`
    select to_char(m, 'YYYY-MM-DD') as from, to_char(m + interval '1 month' - interval '1 day', 'YYYY-MM-DD') as to
    from (select ${
      month
        ? sql`(${`${month}-01`})::date::timestamp`
        : sql`date_trunc('month', ${now.toISOString()}::timestamptz at time zone ${timeZone}) - interval '1 month'`
    } as m) x`.execute(db);
  return result.rows[0]!;
}

/**
 * What the items created in a month would cost with draft settings, by channel: one grouped scan
 * of the month's items (the index on created_at), priced in code with the metrics' rule. Nothing
 * is saved; merged duplicates are left out as in the metrics.
 */
export async function previewCostSettings(
  db: Queryable,
  workspaceId: string,
  now: Date,
  input: CostSettingsPreviewBody,
): Promise<CostSettingsPreview> {
  const timeZone = await workspaceTimeZone(db, workspaceId);
  const { from, to } = await monthBounds(db, timeZone, now, input.month);
  const context = await metricContext(
    db,
    workspaceId,
    { from, to, interval: 'month' },
    { withBuckets: false, timeZone },
  );
  const result = await sql<{
    channel: string;
    items: number;
    recorded_items: number;
    recorded_minutes: string;
  }>`
    select i.channel, count(*)::int as items, count(i.handling_minutes)::int as recorded_items,
      coalesce(sum(i.handling_minutes), 0) as recorded_minutes
    from items i where ${inPeriod('created_at', context)}
    group by i.channel order by count(*) desc, i.channel`.execute(db);
  let total = 0;
  const channels = result.rows.map((row) => {
    const priced = channelCost(input, row.channel, {
      items: row.items,
      recordedItems: row.recorded_items,
      recordedMinutes: Number(row.recorded_minutes),
    });
    total += priced.cost;
    return {
      channel: row.channel,
      items: row.items,
      recordedItems: row.recorded_items,
      handlingMinutes: priced.handlingMinutes,
      cost: roundMoney(priced.cost),
    };
  });
  const items = channels.reduce((sum, channel) => sum + channel.items, 0);
  return {
    month: from.slice(0, 7),
    from,
    to,
    currency: input.currency,
    items,
    cost: roundMoney(total),
    costPerRequest: items === 0 ? null : roundMoney(total / items),
    channels,
  };
}
