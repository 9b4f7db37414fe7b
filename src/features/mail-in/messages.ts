import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import type { ItemMessage } from '../../shared/conversation.ts';
import { decodeTimeCursor, encodeTimeCursor, microsText } from '../interactions/cursor.ts';
import { remoteImagePattern } from './content.ts';

const cursorTag = 'item-messages';

/** The item of this workspace, or 404 (another workspace's ids are not found either). */
export async function requireItem(db: Queryable, workspaceId: string, itemId: string) {
  const item = await db
    .selectFrom('items')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', itemId)
    .executeTakeFirst();
  if (!item) throw notFound('The item');
  return item;
}

const deliveryStatuses = new Set(['queued', 'sent', 'not_sent', 'failed']);

/**
 * Rows of the conversation, with author name and delivery status in the same query and the
 * attachments of the page in one more: never a query per message.
 */
async function messageRows(
  db: Queryable,
  workspaceId: string,
  where: { itemId: string; messageIds?: string[]; after?: { at: string; id: string }; limit: number },
) {
  let query = db
    .selectFrom('item_messages as m')
    .leftJoin('users as u', (join) =>
      join.onRef('u.id', '=', 'm.author_user_id').on('u.workspace_id', '=', workspaceId),
    )
    .leftJoin('outbox as o', (join) =>
      join.onRef('o.id', '=', 'm.outbox_id').on('o.workspace_id', '=', workspaceId),
    )
    .select([
      'm.id',
      'm.kind',
      'm.author_user_id',
      'u.name as author_name',
      'm.from_address',
      'm.to_address',
      'm.subject',
      'm.body_text',
      sql<boolean>`m.body_html is not null`.as('has_html'),
      // remoteImagePattern (content.ts; the same in PostgreSQL) on the stored, sanitised HTML.
      sql<boolean>`coalesce(m.body_html ~* ${remoteImagePattern.source}, false)`.as('remote_images'),
      'o.status as delivery_status',
      'o.error as delivery_error',
      'm.created_at',
      microsText('m.created_at').as('cursor_at'),
    ])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.item_id', '=', where.itemId);
  if (where.messageIds) query = query.where('m.id', 'in', where.messageIds);
  if (where.after) {
    const after = where.after;
    query = query.where((eb) =>
      eb.or([
        eb('m.created_at', '>', sql<Date>`${after.at}::timestamptz`),
        eb.and([eb('m.created_at', '=', sql<Date>`${after.at}::timestamptz`), eb('m.id', '>', after.id)]),
      ]),
    );
  }
  const rows = await query.orderBy('m.created_at').orderBy('m.id').limit(where.limit).execute();
  const ids = rows.map((row) => row.id);
  const attachments =
    ids.length === 0
      ? []
      : await db
          .selectFrom('item_attachments')
          .select(['id', 'message_id', 'filename', 'content_type', 'size_bytes'])
          .where('workspace_id', '=', workspaceId)
          .where('item_id', '=', where.itemId)
          .where('message_id', 'in', ids)
          .orderBy('id')
          .execute();
  const data: ItemMessage[] = rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    authorUserId: row.author_user_id,
    authorName: row.author_name,
    fromAddress: row.from_address,
    toAddress: row.to_address,
    subject: row.subject,
    bodyText: row.body_text,
    hasHtml: row.has_html,
    remoteImages: row.remote_images,
    deliveryStatus:
      row.kind === 'outbound' && row.delivery_status && deliveryStatuses.has(row.delivery_status)
        ? (row.delivery_status as ItemMessage['deliveryStatus'])
        : null,
    deliveryError: row.kind === 'outbound' ? (row.delivery_error ?? null) : null,
    attachments: attachments
      .filter((attachment) => attachment.message_id === row.id)
      .map((attachment) => ({
        id: attachment.id,
        filename: attachment.filename,
        contentType: attachment.content_type,
        sizeBytes: attachment.size_bytes,
      })),
    createdAt: row.created_at.toISOString(),
  }));
  return { data, rows };
}

/** The conversation of an item, oldest first, internal notes included; keyset pages. */
export async function listItemMessages(
  db: Queryable,
  workspaceId: string,
  itemId: string,
  page: { after?: string; limit: number },
) {
  await requireItem(db, workspaceId, itemId);
  const after = page.after ? decodeTimeCursor(page.after, cursorTag) : undefined;
  const { data, rows } = await messageRows(db, workspaceId, {
    itemId,
    ...(after ? { after: { at: after.at!, id: after.id } } : {}),
    limit: page.limit + 1,
  });
  const more = data.length > page.limit;
  const last = rows[page.limit - 1];
  return {
    data: data.slice(0, page.limit),
    next: more && last ? encodeTimeCursor(cursorTag, last.cursor_at, last.id) : null,
  };
}

export async function getItemMessage(db: Queryable, workspaceId: string, itemId: string, messageId: string) {
  const { data } = await messageRows(db, workspaceId, { itemId, messageIds: [messageId], limit: 1 });
  if (!data[0]) throw notFound('The message');
  return data[0];
}
