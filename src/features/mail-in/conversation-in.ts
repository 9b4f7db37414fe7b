import { sql } from 'kysely';
import type { ParsedMail } from 'mailparser';
import { type Actor, audit } from '../../platform/audit.ts';
import type { Config } from '../../platform/config.ts';
import { publicUrl } from '../../platform/config.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import { emailKey } from '../../shared/people.ts';
import { recordItemEvent } from '../items/events.ts';
import { resumeOnCustomerAnswer } from '../items/reopen.ts';
import type { ItemRow } from '../items/schema.ts';
import { notify } from '../notifications/notify.ts';
import { type DroppedAttachment, screenAttachments } from './attachments.ts';
import { sanitizeMailHtml, shortenMailText, trimQuotedHistory } from './content.ts';

const systemActor: Actor = { type: 'system', id: null, userId: null };

export interface Sender {
  address: string | null;
  name: string | null;
}

export function senderOf(mail: ParsedMail): Sender {
  const first = mail.from?.value[0];
  return { address: first?.address?.trim().toLowerCase() || null, name: first?.name?.trim() || null };
}

/** The person of the workspace with this email, if any. */
export async function personByEmail(tx: Queryable, workspaceId: string, address: string | null) {
  if (!address) return null;
  const row = await tx
    .selectFrom('people')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('email_keys', '@>', sql<string[]>`array[${emailKey(address)}]::text[]`)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export interface IncomingMessage {
  workspaceId: string;
  itemId: string;
  personId: string | null;
  mail: ParsedMail;
  messageId: string;
  toAddress: string;
  bodyText: string;
  now: Date;
}

/**
 * Records a mail in an item's conversation: the inbound message (text, sanitised HTML, its
 * Message-ID), the allowed attachments, and an internal note listing those that were dropped.
 */
export async function recordInboundMessage(tx: Queryable, config: Config, incoming: IncomingMessage) {
  const { mail, workspaceId, itemId, now } = incoming;
  const id = newId();
  await tx
    .insertInto('item_messages')
    .values({
      id,
      workspace_id: workspaceId,
      item_id: itemId,
      kind: 'inbound',
      author_user_id: null,
      person_id: incoming.personId,
      from_address: senderOf(mail).address,
      to_address: incoming.toAddress.slice(0, 1000),
      subject: (mail.subject ?? '').slice(0, 1000) || null,
      body_text: incoming.bodyText.slice(0, 500_000),
      body_html: mail.html ? sanitizeMailHtml(mail.html) : null,
      message_id: incoming.messageId,
      created_at: now,
    })
    .execute();
  // Images embedded in the HTML (cid:) are already part of it as data: URIs.
  const { kept, dropped } = screenAttachments(
    mail.attachments.filter((attachment) => !attachment.related),
    config.INBOUND_MAX_BYTES,
  );
  if (kept.length > 0) {
    await tx
      .insertInto('item_attachments')
      .values(
        kept.map((attachment) => ({
          id: newId(),
          workspace_id: workspaceId,
          item_id: itemId,
          message_id: id,
          filename: attachment.filename,
          content_type: attachment.contentType,
          size_bytes: attachment.content.length,
          data: attachment.content,
          created_at: now,
        })),
      )
      .execute();
  }
  if (dropped.length > 0) await noteDroppedAttachments(tx, workspaceId, itemId, dropped, now);
  return { id, attachments: kept.length, dropped };
}

async function noteDroppedAttachments(
  tx: Queryable,
  workspaceId: string,
  itemId: string,
  dropped: DroppedAttachment[],
  now: Date,
) {
  const lines = dropped.map((file) => `- ${file.filename}: ${file.reason}`);
  await tx
    .insertInto('item_messages')
    .values({
      id: newId(),
      workspace_id: workspaceId,
      item_id: itemId,
      kind: 'note',
      author_user_id: null,
      body_text: `Attachments dropped from the customer's mail (not on the allow-list or too large):\n${lines.join('\n')}`,
      // A note written by the system a moment after the message it is about.
      created_at: new Date(now.getTime() + 1),
    })
    .execute();
}

/**
 * The customer answered: the mail joins the item's conversation, the owner is told, an item
 * waiting on the customer goes back to work (the SLA clock resumes) and a resolved or closed
 * item is reopened.
 */
export async function threadCustomerReply(
  tx: Queryable,
  config: Config,
  reply: { item: ItemRow; mail: ParsedMail; messageId: string; toAddress: string; now: Date },
) {
  const { item, mail, now } = reply;
  const sender = senderOf(mail);
  const personId = (await personByEmail(tx, item.workspace_id, sender.address)) ?? item.person_id;
  const recorded = await recordInboundMessage(tx, config, {
    workspaceId: item.workspace_id,
    itemId: item.id,
    personId,
    mail,
    messageId: reply.messageId,
    toAddress: reply.toAddress,
    bodyText: shortenMailText(trimQuotedHistory(mail.text ?? '')),
    now,
  });
  const customer = { type: 'customer' as const, id: personId, userId: null };
  await recordItemEvent(tx, {
    workspaceId: item.workspace_id,
    itemId: item.id,
    type: 'customer_replied',
    actor: customer,
    data: {
      messageId: recorded.id,
      from: sender.address,
      attachments: recorded.attachments,
      ...(recorded.dropped.length > 0 ? { droppedAttachments: recorded.dropped.map((d) => d.filename) } : {}),
    },
    at: now,
  });
  const status = await resumeOnCustomerAnswer(tx, item, customer, 'The customer answered by email.', now);
  await audit(
    tx,
    { actor: systemActor, workspaceId: item.workspace_id, requestId: null },
    {
      action: 'item.customer_replied',
      entity: 'item',
      entityId: item.id,
      before: { status: item.status },
      after: { status, messageId: recorded.id, from: sender.address },
    },
  );
  if (item.owner_id) {
    await notify(tx, {
      workspaceId: item.workspace_id,
      userIds: [item.owner_id],
      type: 'customer_reply',
      itemId: item.id,
      title:
        `${sender.name ?? sender.address ?? 'The customer'} replied on #${item.ref}: ${item.subject}`.slice(
          0,
          500,
        ),
      body: trimQuotedHistory(mail.text ?? '').slice(0, 1000),
      link: `${publicUrl(config)}/items/${item.id}`,
    });
  }
  return recorded.id;
}
