import type { Queryable } from '../../platform/db/database.ts';
import { refreshItemSla } from '../sla/refresh.ts';
import { type EventActor, recordItemEvent } from './events.ts';

export interface Reopening {
  workspaceId: string;
  itemId: string;
  actor: EventActor;
  reason: string | null;
  now: Date;
}

/**
 * Reopens a resolved or closed item (by hand, or because the customer answered). The loop has
 * to be closed again: informed/thanked/closed marks are cleared, the SLA clock restarts.
 * Returns false when the item is not resolved or closed (nothing to reopen).
 */
export async function reopenInTransaction(tx: Queryable, reopening: Reopening): Promise<boolean> {
  const updated = await tx
    .updateTable('items')
    .set((eb) => ({
      status: 'reopened',
      reopened_count: eb('reopened_count', '+', 1),
      resolved_at: null,
      closed_at: null,
      close_reason: null,
      informed_at: null,
      thanked_at: null,
      updated_at: reopening.now,
      version: eb('version', '+', 1),
    }))
    .where('workspace_id', '=', reopening.workspaceId)
    .where('id', '=', reopening.itemId)
    .where('status', 'in', ['resolved', 'closed'])
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return false;
  await recordItemEvent(tx, {
    workspaceId: reopening.workspaceId,
    itemId: reopening.itemId,
    type: 'reopened',
    actor: reopening.actor,
    data: reopening.reason ? { reason: reopening.reason } : {},
    at: reopening.now,
  });
  await refreshItemSla(tx, reopening.workspaceId, reopening.itemId, reopening.now);
  return true;
}
