import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { businessMsBetween } from './calendar.ts';
import { isTerminal, nextCheckAt, pausedStatuses, planSla, type SlaItemState } from './plan.ts';
import { loadWorkspaceSlaSettings, type SlaSettings } from './settings.ts';

export const slaStateColumns = [
  'id',
  'kind',
  'priority',
  'status',
  'created_at',
  'first_responded_at',
  'resolved_at',
  'closed_at',
  'merged_into_id',
  'sla_paused_at',
  'sla_paused_minutes',
  'first_response_breached_at',
  'resolution_breached_at',
  'sla_warned_at',
  'escalation_level',
] as const;

export type SlaItemRow = SlaItemState & { id: string };

interface SlaColumns {
  id: string;
  first_response_due_at: Date | null;
  resolution_due_at: Date | null;
  sla_paused_at: Date | null;
  sla_paused_minutes: number;
  sla_next_check_at: Date | null;
}

/**
 * The SLA columns an item should have now: the pause started or ended by its status (waiting
 * on the customer, resolved and closed stop the clocks; the business minutes of an ended pause
 * are added up), the due times from created_at, and the sweep's next check.
 */
export function computeSlaColumns(settings: SlaSettings, row: SlaItemRow, now: Date): SlaColumns {
  const state: SlaItemState = { ...row };
  const shouldPause = pausedStatuses.includes(row.status) || row.merged_into_id !== null;
  if (shouldPause && row.sla_paused_at === null) {
    state.sla_paused_at = now;
  } else if (!shouldPause && row.sla_paused_at !== null) {
    const paused = businessMsBetween(settings.calendar, row.sla_paused_at, now);
    state.sla_paused_minutes = row.sla_paused_minutes + Math.round(paused / 60_000);
    state.sla_paused_at = null;
  }
  const plan = planSla(settings, state);
  return {
    id: row.id,
    first_response_due_at: plan.firstResponse.dueAt,
    resolution_due_at: plan.resolution.dueAt,
    sla_paused_at: state.sla_paused_at,
    sla_paused_minutes: state.sla_paused_minutes,
    sla_next_check_at: isTerminal(state) ? null : nextCheckAt(plan, state),
  };
}

/**
 * Recomputes an item's SLA columns (due times, pause, next check) from its current state.
 * Call it in the transaction of any change that affects the SLA: creation, kind or priority
 * change, first staff reply, waiting on customer and back, resolve, close, reopen. It never
 * notifies or escalates: the sweep does that at sla_next_check_at.
 */
export async function refreshItemSla(
  tx: Queryable,
  workspaceId: string,
  itemId: string,
  now: Date,
): Promise<void> {
  await refreshItemsSla(tx, workspaceId, [itemId], now);
}

/** refreshItemSla for many items of one workspace: three queries whatever their number. */
export async function refreshItemsSla(
  tx: Queryable,
  workspaceId: string,
  itemIds: readonly string[],
  now: Date,
  loaded?: SlaSettings,
): Promise<number> {
  if (itemIds.length === 0) return 0;
  const rows = await tx
    .selectFrom('items')
    .select(slaStateColumns)
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', itemIds)
    .execute();
  if (rows.length === 0) return 0;
  const settings = loaded ?? (await loadWorkspaceSlaSettings(tx, workspaceId));
  const columns = rows.map((row) => computeSlaColumns(settings, row, now));
  await writeSlaColumns(tx, workspaceId, columns);
  return columns.length;
}

async function writeSlaColumns(tx: Queryable, workspaceId: string, columns: SlaColumns[]): Promise<void> {
  const values = columns.map(
    (c) =>
      sql`(${c.id}::uuid, ${c.first_response_due_at}::timestamptz, ${c.resolution_due_at}::timestamptz,
        ${c.sla_paused_at}::timestamptz, ${c.sla_paused_minutes}::integer, ${c.sla_next_check_at}::timestamptz)`,
  );
  // The id list lets the planner fetch rows by primary key (without it: a hash join over a scan of items).
  await sql`
    update items set first_response_due_at = v.first_response_due_at,
      resolution_due_at = v.resolution_due_at, sla_paused_at = v.sla_paused_at,
      sla_paused_minutes = v.sla_paused_minutes, sla_next_check_at = v.sla_next_check_at
    from (values ${sql.join(values)}) as v(id, first_response_due_at, resolution_due_at, sla_paused_at,
      sla_paused_minutes, sla_next_check_at)
    where items.id = v.id and items.workspace_id = ${workspaceId}
      and items.id = any(${columns.map((c) => c.id)}::uuid[])`.execute(tx);
}
