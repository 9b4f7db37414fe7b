import type { Queryable } from '../../platform/db/database.ts';
import type { ItemStatus } from '../../shared/listening.ts';
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

/**
 * What a customer's answer (by email or in the portal) does to their item: a resolved or closed
 * one is reopened; one waiting on them goes back to work, and its SLA clock resumes. Returns the
 * item's status afterwards.
 */
export async function resumeOnCustomerAnswer(
  tx: Queryable,
  item: { workspace_id: string; id: string; status: ItemStatus },
  actor: EventActor,
  reason: string,
  now: Date,
): Promise<ItemStatus> {
  if (item.status === 'resolved' || item.status === 'closed') {
    await reopenInTransaction(tx, { workspaceId: item.workspace_id, itemId: item.id, actor, reason, now });
    return 'reopened';
  }
  const back = item.status === 'waiting_on_customer';
  await tx
    .updateTable('items')
    .set((eb) => ({
      ...(back ? { status: 'in_progress' as const } : {}),
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('workspace_id', '=', item.workspace_id)
    .where('id', '=', item.id)
    .execute();
  if (back) {
    await recordItemEvent(tx, {
      workspaceId: item.workspace_id,
      itemId: item.id,
      type: 'status_changed',
      actor,
      data: { from: item.status, to: 'in_progress' },
      at: now,
    });
  }
  await refreshItemSla(tx, item.workspace_id, item.id, now);
  return back ? 'in_progress' : item.status;
}
