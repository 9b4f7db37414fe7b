import { z } from 'zod';
import { email, isoDate, pageQuery, uuid } from './common.ts';

/** Payloads of an item's conversation with the customer and of inbound mail. */
export const itemMessage = z.object({
  id: uuid,
  kind: z.enum(['outbound', 'inbound', 'note']),
  authorUserId: uuid.nullable(),
  authorName: z.string().nullable(),
  fromAddress: z.string().nullable(),
  toAddress: z.string().nullable(),
  subject: z.string().nullable(),
  bodyText: z.string(),
  hasHtml: z.boolean(),
  remoteImages: z
    .boolean()
    .describe('The HTML shows images from the web; they are hidden until asked for (html?images=1).'),
  deliveryStatus: z.enum(['queued', 'sent', 'not_sent', 'failed']).nullable(),
  deliveryError: z.string().nullable(),
  attachments: z.array(
    z.object({ id: uuid, filename: z.string(), contentType: z.string(), sizeBytes: z.number() }),
  ),
  createdAt: isoDate,
});
export type ItemMessage = z.infer<typeof itemMessage>;

// ---- Inbound mail -------------------------------------------------------------------------

export const inboundAddressSettings = z.object({
  address: z.string().nullable().describe('New mail to this address becomes items; null: none.'),
  replyDomain: z.string().describe('Customers answer to reply+<token>@ this domain.'),
  receiverEnabled: z.boolean().describe('Whether this server runs the SMTP receiver (INBOUND_SMTP_PORT).'),
});
export type InboundAddressSettings = z.infer<typeof inboundAddressSettings>;
export const inboundAddressInput = z.strictObject({
  address: email.nullable().describe('e.g. support@example.com; its MX must point at the receiver.'),
});
export const messageHtmlQuery = z.strictObject({
  images: z
    .enum(['0', '1'])
    .default('0')
    .describe('1: also load remote (https) images, which tells the sender the mail was read.'),
});

export const inboundMailStatuses = ['received', 'processed', 'ignored', 'failed'] as const;
export const inboundMailEntry = z.object({
  id: uuid,
  mailFrom: z.string().describe("The envelope sender; '' for bounces."),
  rcptTo: z.array(z.string()),
  status: z
    .enum(inboundMailStatuses)
    .describe('received: waiting for its job; ignored: bounce, auto-reply or duplicate; failed: see reason.'),
  reason: z.string().nullable(),
  messageId: z.string().nullable(),
  itemId: uuid.nullable(),
  sizeBytes: z.number().int(),
  receivedAt: isoDate,
  processedAt: isoDate.nullable(),
});
export type InboundMailEntry = z.infer<typeof inboundMailEntry>;
export const inboundMailQuery = pageQuery.extend({ status: z.enum(inboundMailStatuses).optional() });
