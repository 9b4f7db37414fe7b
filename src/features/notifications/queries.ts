import type { Queryable } from '../../platform/db/database.ts';
import type { Notification, NotificationType } from '../../shared/notifications.ts';

export interface NotificationPageQuery {
  workspaceId: string;
  userId: string;
  unread?: boolean;
  /** Notification ids are UUIDv7, so "newest first" is "id descending". */
  beforeId?: string;
  limit: number;
}

/** One page (+1 row to detect the next) of a user's notifications, on notifications_user_idx. */
export async function notificationRows(db: Queryable, query: NotificationPageQuery) {
  let select = db
    .selectFrom('notifications')
    .select(['id', 'type', 'item_id', 'problem_id', 'title', 'body', 'read_at', 'created_at'])
    .where('user_id', '=', query.userId)
    .where('workspace_id', '=', query.workspaceId);
  if (query.unread === true) select = select.where('read_at', 'is', null);
  if (query.unread === false) select = select.where('read_at', 'is not', null);
  if (query.beforeId) select = select.where('id', '<', query.beforeId);
  return select
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
}

export type NotificationRow = Awaited<ReturnType<typeof notificationRows>>[number];

export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    type: row.type as NotificationType,
    itemId: row.item_id,
    problemId: row.problem_id,
    title: row.title,
    body: row.body,
    readAt: row.read_at ? row.read_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
  };
}

/** Capped so the bell stays cheap for someone with thousands unread (the UI shows "99+"). */
export async function countUnread(db: Queryable, workspaceId: string, userId: string, cap: number) {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('notifications')
        .select('id')
        .where('user_id', '=', userId)
        .where('workspace_id', '=', workspaceId)
        .where('read_at', 'is', null)
        .limit(cap)
        .as('unread'),
    )
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Marks the user's unread notifications read (all of them, or those among `ids`); returns their ids. */
export async function markRead(
  db: Queryable,
  workspaceId: string,
  userId: string,
  ids: readonly string[] | undefined,
  at: Date,
) {
  if (ids?.length === 0) return [];
  let update = db
    .updateTable('notifications')
    .set({ read_at: at })
    .where('user_id', '=', userId)
    .where('workspace_id', '=', workspaceId)
    .where('read_at', 'is', null);
  if (ids) update = update.where('id', 'in', ids);
  const rows = await update.returning('id').execute();
  return rows.map((row) => row.id);
}
