import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import type { InboundMailEntry, inboundMailStatuses } from '../../shared/conversation.ts';
import { decodeTimeCursor, encodeTimeCursor, microsText } from '../interactions/cursor.ts';
import { withInboundMail } from './schema.ts';

const cursorTag = 'inbound-mail';

/** The mail the receiver took for this workspace, newest first, with what became of it. */
export async function listInboundMail(
  db: Queryable,
  workspaceId: string,
  query: { status?: (typeof inboundMailStatuses)[number]; after?: string; limit: number },
) {
  const after = query.after ? decodeTimeCursor(query.after, cursorTag) : null;
  let select = withInboundMail(db)
    .selectFrom('inbound_mail')
    .select([
      'id',
      'mail_from',
      'rcpt_to',
      'status',
      'reason',
      'message_id',
      'item_id',
      'size_bytes',
      'received_at',
      'processed_at',
      microsText('received_at').as('cursor_at'),
    ])
    .where('workspace_id', '=', workspaceId);
  if (query.status) select = select.where('status', '=', query.status);
  if (after?.at) {
    const at = sql<Date>`${after.at}::timestamptz`;
    select = select.where((eb) =>
      eb.or([eb('received_at', '<', at), eb.and([eb('received_at', '=', at), eb('id', '<', after.id)])]),
    );
  }
  const rows = await select
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const last = rows[query.limit - 1];
  const data: InboundMailEntry[] = rows.slice(0, query.limit).map((row) => ({
    id: row.id,
    mailFrom: row.mail_from,
    rcptTo: row.rcpt_to,
    status: row.status,
    reason: row.reason,
    messageId: row.message_id,
    itemId: row.item_id,
    sizeBytes: row.size_bytes,
    receivedAt: row.received_at.toISOString(),
    processedAt: row.processed_at?.toISOString() ?? null,
  }));
  return {
    data,
    next: rows.length > query.limit && last ? encodeTimeCursor(cursorTag, last.cursor_at, last.id) : null,
  };
}

/** The message exactly as received, to inspect a failed or ignored mail. */
export async function rawInboundMail(db: Queryable, workspaceId: string, id: string) {
  const row = await withInboundMail(db)
    .selectFrom('inbound_mail')
    .select(['raw'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('The received mail');
  return Buffer.from(row.raw);
}
