import type { Config } from '../../platform/config.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { checkContact, recordContact, refusedByTerms } from '../portal/terms/enforce.ts';
import { type EventActor, recordItemEvent } from './events.ts';

/** The domain of the reply address: INBOUND_MAIL_DOMAIN, else the domain of MAIL_FROM. */
export function replyDomain(config: Config): string {
  if (config.INBOUND_MAIL_DOMAIN) return config.INBOUND_MAIL_DOMAIN.toLowerCase();
  const match = /@([^>\s]+)>?\s*$/.exec(config.MAIL_FROM);
  return (match?.[1] ?? 'localhost').toLowerCase();
}

/** reply+<token>@domain: the customer's answers to it are threaded into the item. */
export function replyAddress(config: Config, replyToken: string): string {
  return `reply+${replyToken}@${replyDomain(config)}`;
}

/** The Message-ID of the mails Rapport sends for an item, so that answers thread by header too. */
export function outboundMessageId(config: Config, messageRowId: string): string {
  return `<${messageRowId}@${replyDomain(config)}>`;
}

export interface CustomerMessage {
  workspaceId: string;
  itemId: string;
  replyToken: string;
  to: string;
  personId: string | null;
  subject: string;
  body: string;
  authorUserId: string | null;
  /** The Message-ID of the customer's mail being answered, when there is one. */
  inReplyTo?: string | null;
}

/**
 * What to do when the customer's terms refuse email: staff-initiated sends 'throw' (409 with the
 * reason, nothing written); automatic ones 'skip' and record a 'customer_contact_blocked' event.
 */
export interface SendOptions {
  onRefused: 'throw' | 'skip';
  /** Who the blocked event is attributed to (the system by default). */
  actor?: EventActor;
  now?: Date;
  /** The caller already checked the terms in this transaction (item creation): do not read them twice. */
  termsChecked?: boolean;
}

/**
 * Sends a message to the customer of an item: records it in the conversation and queues it in
 * the outbox (retried; a failure shows on the message). Runs in the caller's transaction.
 * Item messages are service messages by email: the person's terms must allow email (a reporter
 * without a person record has no terms). Returns the item_messages id, or null when skipped.
 */
export async function sendToCustomer(
  tx: Queryable,
  config: Config,
  message: CustomerMessage,
  options?: SendOptions & { onRefused: 'throw' },
): Promise<string>;
export async function sendToCustomer(
  tx: Queryable,
  config: Config,
  message: CustomerMessage,
  options: SendOptions,
): Promise<string | null>;
export async function sendToCustomer(
  tx: Queryable,
  config: Config,
  message: CustomerMessage,
  options: SendOptions = { onRefused: 'throw' },
): Promise<string | null> {
  const now = options.now ?? new Date();
  if (message.personId && !options.termsChecked) {
    const check = await checkContact(tx, {
      workspaceId: message.workspaceId,
      personId: message.personId,
      channel: 'email',
      purpose: 'service',
      now,
    });
    if (!check.allowed) {
      if (options.onRefused === 'throw') throw refusedByTerms(check.reason);
      await recordItemEvent(tx, {
        workspaceId: message.workspaceId,
        itemId: message.itemId,
        type: 'customer_contact_blocked',
        actor: options.actor ?? { type: 'system', id: null, userId: null },
        data: { reason: check.reason, to: message.to, subject: message.subject },
        at: now,
      });
      return null;
    }
  }
  const id = newId();
  const messageId = outboundMessageId(config, id);
  const outboxId = await queueMail(tx, {
    workspaceId: message.workspaceId,
    to: message.to,
    subject: message.subject,
    text: message.body,
    entity: 'item',
    entityId: message.itemId,
    replyTo: replyAddress(config, message.replyToken),
    headers: {
      'Message-ID': messageId,
      ...(message.inReplyTo ? { 'In-Reply-To': message.inReplyTo, References: message.inReplyTo } : {}),
    },
  });
  await tx
    .insertInto('item_messages')
    .values({
      id,
      workspace_id: message.workspaceId,
      item_id: message.itemId,
      kind: 'outbound',
      author_user_id: message.authorUserId,
      person_id: message.personId,
      from_address: null,
      to_address: message.to,
      subject: message.subject,
      body_text: message.body,
      message_id: messageId,
      outbox_id: outboxId,
    })
    .execute();
  if (message.personId) {
    await recordContact(tx, {
      workspaceId: message.workspaceId,
      personId: message.personId,
      channel: 'email',
      purpose: 'service',
      outboxId,
      now,
    });
  }
  return id;
}
