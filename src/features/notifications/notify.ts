import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { type LadderLevel, ladderLevelOfRole } from '../../shared/listening.ts';
import type { NotificationType } from '../../shared/notifications.ts';

export interface NewNotification {
  workspaceId: string;
  userIds: readonly string[];
  type: NotificationType;
  title: string;
  body?: string;
  itemId?: string | null;
  problemId?: string | null;
  /** Absolute link for the email, e.g. `${publicUrl(config)}/items/<id>`. */
  link?: string;
  /** The user who caused it is not notified of their own action. */
  exceptUserId?: string | null;
}

/**
 * Tells staff users about something: one in-app notification each and one email each
 * (through the outbox), in the caller's transaction. Disabled users are skipped.
 */
export async function notify(tx: Queryable, notification: NewNotification): Promise<number> {
  const ids = [...new Set(notification.userIds)].filter((id) => id !== notification.exceptUserId);
  if (ids.length === 0) return 0;
  const users = await tx
    .selectFrom('users')
    .select(['id', 'email'])
    .where('workspace_id', '=', notification.workspaceId)
    .where('id', 'in', ids)
    .where('status', '=', 'active')
    .execute();
  if (users.length === 0) return 0;
  await tx
    .insertInto('notifications')
    .values(
      users.map((user) => ({
        id: newId(),
        workspace_id: notification.workspaceId,
        user_id: user.id,
        type: notification.type,
        item_id: notification.itemId ?? null,
        problem_id: notification.problemId ?? null,
        title: notification.title.slice(0, 500),
        body: (notification.body ?? '').slice(0, 5000),
      })),
    )
    .execute();
  for (const user of users) {
    await queueMail(tx, {
      workspaceId: notification.workspaceId,
      to: user.email,
      subject: notification.title.slice(0, 500),
      text:
        [notification.body ?? '', notification.link ?? ''].filter(Boolean).join('\n\n') || notification.title,
      entity: 'notification',
      entityId: notification.itemId ?? notification.problemId ?? undefined,
    });
  }
  return users.length;
}

/** Active staff users standing at a level of the escalation ladder (explicit level or role). */
export async function usersAtLevel(
  tx: Queryable,
  workspaceId: string,
  level: LadderLevel,
): Promise<string[]> {
  const roles = Object.entries(ladderLevelOfRole)
    .filter(([, derived]) => derived === level)
    .map(([role]) => role);
  const rows = await tx
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb('ladder_level', '=', level),
        ...(roles.length > 0
          ? [eb.and([eb('ladder_level', 'is', null), eb('role', 'in', roles as never[])])]
          : []),
      ]),
    )
    .orderBy(sql`id`)
    .execute();
  return rows.map((row) => row.id);
}
