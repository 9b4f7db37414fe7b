import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { Auth, RequestContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { notify } from '../notifications/notify.ts';
import { runItemAction } from './action.ts';

/**
 * The words after an @ in a note, lower-cased: "@AnaSouza," and "@ana.souza." give "anasouza"
 * and "ana.souza" (trailing punctuation is not part of a mention).
 */
export function mentionTokens(body: string): string[] {
  const tokens = [...body.matchAll(/(?:^|[^\p{L}\p{N}_])@([\p{L}\p{N}][\p{L}\p{N}._+-]*)/gu)].map((match) =>
    match[1]!.replace(/[._+-]+$/, '').toLowerCase(),
  );
  return [...new Set(tokens)].slice(0, 50);
}

/**
 * Staff users a note mentions: `@` + the user's name without spaces (@AnaSouza for "Ana Souza"),
 * or + the local part of their email (@ana.souza for ana.souza@example.com), case-insensitive.
 * Only active users of the workspace.
 */
export async function mentionedUsers(db: Queryable, workspaceId: string, body: string): Promise<string[]> {
  const tokens = mentionTokens(body);
  if (tokens.length === 0) return [];
  const result = await sql<{ id: string }>`
    select id from users
    where workspace_id = ${workspaceId} and status = 'active'
      and (lower(replace(name, ' ', '')) = any(${tokens}::text[])
        or lower(split_part(email, '@', 1)) = any(${tokens}::text[]))
    order by id`.execute(db);
  return result.rows.map((row) => row.id);
}

/** An internal note: part of the item's conversation, never sent to the customer. */
export function addNote(ctx: RequestContext, auth: Auth, id: string, body: string, version?: number) {
  return runItemAction(ctx, auth, id, version, async ({ tx, row, now, link }) => {
    const messageId = newId();
    await tx
      .insertInto('item_messages')
      .values({
        id: messageId,
        workspace_id: auth.workspaceId,
        item_id: id,
        kind: 'note',
        author_user_id: auth.userId,
        body_text: body,
        created_at: now,
      })
      .execute();
    const mentioned = (await mentionedUsers(tx, auth.workspaceId, body)).filter(
      (userId) => userId !== auth.userId,
    );
    if (mentioned.length > 0) {
      const author = await tx
        .selectFrom('users')
        .select('name')
        .where('id', '=', auth.userId)
        .executeTakeFirst();
      await notify(tx, {
        workspaceId: auth.workspaceId,
        userIds: mentioned,
        type: 'mention',
        title: `${author?.name ?? 'Someone'} mentioned you on #${row.ref}: ${row.subject}`,
        body: body.slice(0, 2000),
        itemId: id,
        link,
        exceptUserId: auth.userId,
      });
    }
    return {
      event: { type: 'note_added', data: { messageId, mentioned } },
      auditAction: 'item.note_added',
      auditData: { messageId, mentioned },
    };
  });
}
