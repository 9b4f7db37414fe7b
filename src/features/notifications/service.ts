import { audit } from '../../platform/audit.ts';
import { type Auth, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import { decodeTimeCursor, encodeTimeCursor } from '../interactions/cursor.ts';
import { countUnread, markRead, notificationRows, toNotification } from './queries.ts';

const cursorTag = 'notifications';
/** Counting stops here; the bell shows "99+". */
export const unreadCountCap = 100;

export async function listNotifications(
  ctx: RequestContext,
  auth: Auth,
  query: { after?: string; limit: number; unread?: boolean },
) {
  const beforeId = query.after ? decodeTimeCursor(query.after, cursorTag).id : undefined;
  const rows = await notificationRows(ctx.deps.db, {
    workspaceId: auth.workspaceId,
    userId: auth.userId,
    unread: query.unread,
    beforeId,
    limit: query.limit,
  });
  const hasMore = rows.length > query.limit;
  const pageRows = hasMore ? rows.slice(0, query.limit) : rows;
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(toNotification),
    next: hasMore && last ? encodeTimeCursor(cursorTag, null, last.id) : null,
  };
}

export async function unreadNotifications(ctx: RequestContext, auth: Auth) {
  return { unread: await countUnread(ctx.deps.db, auth.workspaceId, auth.userId, unreadCountCap) };
}

/** Marks the caller's own notifications read; ids of anyone else's are ignored, never touched. */
export async function markNotificationsRead(ctx: RequestContext, auth: Auth, ids: string[] | undefined) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const marked = await markRead(tx, auth.workspaceId, auth.userId, ids, nowOf(ctx.deps));
    if (marked.length > 0) {
      await audit(tx, auditContext(ctx), {
        action: 'notifications.read',
        entity: 'notification',
        entityId: marked.length === 1 ? marked[0] : null,
        after: { count: marked.length, all: ids === undefined },
      });
    }
    return { unread: await countUnread(tx, auth.workspaceId, auth.userId, unreadCountCap) };
  });
}
