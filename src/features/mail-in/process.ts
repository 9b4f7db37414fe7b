import { createHash } from 'node:crypto';
import { type ParsedMail, simpleParser } from 'mailparser';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { AppDeps } from '../../platform/http/context.ts';
import { nowOf } from '../../platform/http/context.ts';
import { PermanentJobError } from '../../platform/jobs/handlers.ts';
import { createItemInput } from '../../shared/listening.ts';
import { createItemRecord } from '../items/create.ts';
import type { ItemRow } from '../items/schema.ts';
import { acknowledgementSuppressedReason, automatedReason, guessKind } from './classify.ts';
import { shortenMailText } from './content.ts';
import { recordInboundMessage, senderOf, threadCustomerReply } from './conversation-in.ts';
import { replyTokenOf } from './recipients.ts';
import { type InboundMailRow, type InboundMailStatus, withInboundMail } from './schema.ts';

async function finish(
  db: Queryable,
  row: InboundMailRow,
  outcome: { status: InboundMailStatus; reason?: string; itemId?: string; messageId?: string | null },
  now: Date,
) {
  await withInboundMail(db)
    .updateTable('inbound_mail')
    .set({
      status: outcome.status,
      reason: outcome.reason?.slice(0, 2000) ?? null,
      item_id: outcome.itemId ?? null,
      message_id: outcome.messageId ?? null,
      processed_at: now,
    })
    .where('id', '=', row.id)
    .where('workspace_id', '=', row.workspace_id)
    .execute();
}

/** The Message-ID, or one made from the content so that the same raw mail still counts once. */
function messageIdOf(mail: ParsedMail, raw: Buffer): string {
  const id = mail.messageId?.trim();
  if (id) return id.slice(0, 998);
  return `<${createHash('sha256').update(raw).digest('hex')}@no-message-id.rapport>`;
}

function referencedIds(mail: ParsedMail): string[] {
  const references = Array.isArray(mail.references)
    ? mail.references
    : mail.references
      ? [mail.references]
      : [];
  return [
    ...new Set([mail.inReplyTo, ...references].filter((id): id is string => Boolean(id?.trim()))),
  ].slice(0, 100);
}

/** The item a mail answers: by its reply address, else by the Message-IDs it refers to. */
async function itemAnswered(tx: Queryable, deps: AppDeps, row: InboundMailRow, mail: ParsedMail) {
  const tokens = row.rcpt_to.map((address) => replyTokenOf(deps.config, address)).filter(Boolean) as string[];
  let itemId: string | null = null;
  if (tokens.length > 0) {
    const found = await tx
      .selectFrom('items')
      .select('id')
      .where('workspace_id', '=', row.workspace_id)
      .where('reply_token', 'in', tokens)
      .executeTakeFirst();
    itemId = found?.id ?? null;
  }
  const referenced = referencedIds(mail);
  if (!itemId && referenced.length > 0) {
    const found = await tx
      .selectFrom('item_messages')
      .select('item_id')
      .where('workspace_id', '=', row.workspace_id)
      .where('message_id', 'in', referenced)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    itemId = found?.item_id ?? null;
  }
  // A duplicate merged into another item: the conversation continues on the surviving one.
  for (let hops = 0; itemId && hops < 10; hops += 1) {
    const item: ItemRow | undefined = await tx
      .selectFrom('items')
      .selectAll()
      .where('workspace_id', '=', row.workspace_id)
      .where('id', '=', itemId)
      .forUpdate()
      .executeTakeFirst();
    if (!item) return { item: null, viaToken: tokens.length > 0 };
    if (!item.merged_into_id) return { item, viaToken: tokens.length > 0 };
    itemId = item.merged_into_id;
  }
  return { item: null, viaToken: tokens.length > 0 };
}

async function createItemFromMail(
  tx: Queryable,
  deps: AppDeps,
  row: InboundMailRow,
  mail: ParsedMail,
  messageId: string,
  now: Date,
) {
  const sender = senderOf(mail);
  const subject = (mail.subject ?? '').replace(/\s+/g, ' ').trim().slice(0, 500) || '(no subject)';
  const body = shortenMailText((mail.text ?? '').trim());
  // The sender asked for no automatic answers, or the mail may be a robot's: no acknowledgement.
  const noAcknowledgement = acknowledgementSuppressedReason(mail);
  const candidate = {
    kind: guessKind(subject, body),
    channel: 'email',
    subject,
    body,
    ...(sender.name ? { reporterName: sender.name.slice(0, 300) } : {}),
    ...(sender.address ? { reporterEmail: sender.address } : {}),
    ...(noAcknowledgement ? { acknowledge: false } : {}),
  };
  const parsed = createItemInput.safeParse(candidate);
  // An unusable From (not an email address) still gives an item, without a reporter address.
  const input = parsed.success
    ? parsed.data
    : createItemInput.parse({ ...candidate, reporterEmail: undefined });
  const item = await createItemRecord(tx, deps, {
    workspaceId: row.workspace_id,
    actor: { type: 'customer', id: null, userId: null },
    input,
    now,
    source: { messageId, ...(sender.address ? { fromAddress: sender.address } : {}) },
  });
  await recordInboundMessage(tx, deps.config, {
    workspaceId: row.workspace_id,
    itemId: item.id,
    personId: item.person_id,
    mail,
    messageId,
    toAddress: row.rcpt_to.join(', '),
    bodyText: body,
    // When it arrived: so it comes before the acknowledgement (stamped by the database clock)
    // in the conversation, even when a test clock runs ahead.
    now: row.received_at < now ? row.received_at : now,
  });
  return { item, noAcknowledgement };
}

/**
 * Works one stored message off: parses it, ignores machine mail and mail already received,
 * threads an answer into its item, or turns new mail to a workspace's inbound address into an
 * item. The outcome is recorded on the inbound_mail row; a malformed message is marked failed
 * and its job fails for good (visible on the jobs page), anything else is retried.
 */
export async function processInboundMail(deps: AppDeps, inboundMailId: string): Promise<void> {
  const row = await withInboundMail(deps.db)
    .selectFrom('inbound_mail')
    .selectAll()
    .where('id', '=', inboundMailId)
    .executeTakeFirst();
  if (row?.status !== 'received') return;
  const now = nowOf(deps);
  // PGlite hands bytea back as a Uint8Array; the parser wants a Buffer (else it expects a stream).
  const raw = Buffer.from(row.raw);

  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { maxHtmlLengthToParse: 5_000_000 });
  } catch (error) {
    const reason = `malformed: ${(error as Error).message}`;
    await finish(deps.db, row, { status: 'failed', reason }, now);
    throw new PermanentJobError(`inbound mail ${row.id} ${reason}`);
  }
  const automated = automatedReason(mail, row.mail_from);
  if (automated) {
    await finish(
      deps.db,
      row,
      { status: 'ignored', reason: automated, messageId: mail.messageId ?? null },
      now,
    );
    return;
  }
  // Every mail must name its author (RFC 5322): without a From there is nobody to answer.
  if (!senderOf(mail).address) {
    const reason = 'malformed: no From address';
    await finish(deps.db, row, { status: 'failed', reason }, now);
    throw new PermanentJobError(`inbound mail ${row.id} ${reason}`);
  }
  const messageId = messageIdOf(mail, raw);

  try {
    await routeMail(deps, row, mail, messageId, now);
  } catch (error) {
    // A refusal (bad data the mail carries) will not change on retry; anything else might.
    if (!(error instanceof AppError)) throw error;
    await finish(deps.db, row, { status: 'failed', reason: error.message, messageId }, now);
    throw new PermanentJobError(`inbound mail ${row.id}: ${error.message}`);
  }
}

async function routeMail(deps: AppDeps, row: InboundMailRow, mail: ParsedMail, messageId: string, now: Date) {
  await deps.db.transaction().execute(async (tx) => {
    const seen = await tx
      .selectFrom('item_messages')
      .select('item_id')
      .where('workspace_id', '=', row.workspace_id)
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    if (seen) {
      await finish(
        tx,
        row,
        {
          status: 'ignored',
          reason: 'duplicate: this Message-ID was already received',
          itemId: seen.item_id,
          messageId,
        },
        now,
      );
      return;
    }
    const { item, viaToken } = await itemAnswered(tx, deps, row, mail);
    if (item) {
      const toAddress = row.rcpt_to.join(', ');
      await threadCustomerReply(tx, deps.config, { item, mail, messageId, toAddress, now });
      await finish(tx, row, { status: 'processed', itemId: item.id, messageId }, now);
      return;
    }
    const toInboundAddress = row.rcpt_to.some((address) => !replyTokenOf(deps.config, address));
    if (!toInboundAddress) {
      const reason = viaToken
        ? 'the item of this reply address no longer exists'
        : 'no item matches this reply';
      await finish(tx, row, { status: 'failed', reason, messageId }, now);
      return;
    }
    const created = await createItemFromMail(tx, deps, row, mail, messageId, now);
    await finish(
      tx,
      row,
      {
        status: 'processed',
        itemId: created.item.id,
        messageId,
        ...(created.noAcknowledgement ? { reason: created.noAcknowledgement } : {}),
      },
      now,
    );
  });
}
