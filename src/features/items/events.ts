import type { Actor } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import type { EventActorType } from './schema.ts';

/** Who caused an event: a staff actor (from the request), the system, or the customer. */
export type EventActor = Actor;

export interface NewItemEvent {
  workspaceId: string;
  itemId: string;
  type: string;
  actor: EventActor;
  data?: Record<string, unknown>;
  at?: Date;
}

/**
 * Appends to an item's history (item_events is append-only). Call it in the transaction that
 * made the change, next to the audit entry.
 */
export async function recordItemEvent(tx: Queryable, event: NewItemEvent): Promise<void> {
  const actorId = event.actor.type === 'customer' ? event.actor.id : event.actor.userId;
  await tx
    .insertInto('item_events')
    .values({
      id: newId(),
      workspace_id: event.workspaceId,
      item_id: event.itemId,
      type: event.type,
      actor_type: event.actor.type as EventActorType,
      actor_id: actorId,
      data: JSON.stringify(event.data ?? {}),
      ...(event.at ? { created_at: event.at } : {}),
    })
    .execute();
}
