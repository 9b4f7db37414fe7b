import type { Queryable } from '../../platform/db/database.ts';
import { type LadderLevel, ladderLevelLabels, ladderRank } from '../../shared/listening.ts';
import { notify, usersAtLevel } from '../notifications/notify.ts';
import { type EventActor, recordItemEvent } from './events.ts';

export interface Escalation {
  workspaceId: string;
  itemId: string;
  level: Exclude<LadderLevel, 'agent'>;
  reason: string;
  actor: EventActor;
  /** 'manual' or the rule trigger that fired (first_response_breach, resolution_breach…). */
  cause: string;
  at: Date;
  /** Absolute link to the item, for the notification email. */
  link?: string;
}

/**
 * Raises an item to a level of the ladder and notifies everyone standing at that level.
 * The ladder only goes up: returns false (and changes nothing) when the item is already at that
 * level or higher. The caller holds the item row (select … for update) and bumps its version.
 */
export async function escalateItem(tx: Queryable, escalation: Escalation): Promise<boolean> {
  const item = await tx
    .selectFrom('items')
    .select(['id', 'ref', 'subject', 'escalation_level', 'owner_id'])
    .where('workspace_id', '=', escalation.workspaceId)
    .where('id', '=', escalation.itemId)
    .executeTakeFirstOrThrow();
  if (ladderRank(item.escalation_level) >= ladderRank(escalation.level)) return false;
  await tx
    .updateTable('items')
    .set({ escalation_level: escalation.level, escalated_at: escalation.at, updated_at: escalation.at })
    .where('id', '=', item.id)
    .execute();
  await recordItemEvent(tx, {
    workspaceId: escalation.workspaceId,
    itemId: item.id,
    type: 'escalated',
    actor: escalation.actor,
    data: {
      from: item.escalation_level,
      to: escalation.level,
      reason: escalation.reason,
      cause: escalation.cause,
    },
    at: escalation.at,
  });
  const recipients = await usersAtLevel(tx, escalation.workspaceId, escalation.level);
  await notify(tx, {
    workspaceId: escalation.workspaceId,
    userIds: item.owner_id ? [...recipients, item.owner_id] : recipients,
    type: 'escalation',
    title: `#${item.ref} escalated to ${ladderLevelLabels[escalation.level]}: ${item.subject}`,
    body: escalation.reason,
    itemId: item.id,
    link: escalation.link,
    exceptUserId: escalation.actor.type === 'user' ? escalation.actor.userId : null,
  });
  return true;
}
