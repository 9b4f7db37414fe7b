import type { Config } from '../../platform/config.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import { queueMail } from '../../platform/mail/outbox.ts';

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
 * Sends a message to the customer of an item: records it in the conversation and queues it in
 * the outbox (retried; a failure shows on the message). Runs in the caller's transaction.
 * Returns the item_messages id.
 */
export async function sendToCustomer(
  tx: Queryable,
  config: Config,
  message: CustomerMessage,
): Promise<string> {
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
  return id;
}
