import { z } from 'zod';
import { isoDate, page, uuid } from './common.ts';
import { type ItemStatus, itemKind, itemStatus } from './listening.ts';

// ---- "Be heard": what a customer submits and follows in the portal ---------------------------

/** Statuses in plain words for the customer (staff words like "acknowledged" mean little to them). */
export const portalStatusLabels: Record<ItemStatus, string> = {
  new: 'Received',
  acknowledged: 'Received',
  in_progress: 'Being worked on',
  waiting_on_customer: 'Waiting for your reply',
  reopened: 'Reopened, being worked on',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** Resolved or closed: the customer may rate how it was handled. */
export const isFinished = (status: ItemStatus) => status === 'resolved' || status === 'closed';

export const portalItemInput = z.strictObject({
  kind: itemKind,
  subject: z
    .string()
    .trim()
    .min(1, 'Subject is required: say in a few words what it is about.')
    .max(200, 'Subject must be at most 200 characters.'),
  body: z.string().trim().max(20_000, 'Details must be at most 20,000 characters.').default(''),
  /** Honeypot: hidden from people, filled in by bots. Anything here and nothing is stored. */
  website: z.string().max(2000).optional().describe('Leave empty (a field only bots fill in).'),
});
export type PortalItemInput = z.input<typeof portalItemInput>;

export const portalMessageInput = z.strictObject({
  body: z
    .string()
    .trim()
    .min(1, 'Write your reply first.')
    .max(20_000, 'A reply must be at most 20,000 characters.'),
});
export type PortalMessageInput = z.input<typeof portalMessageInput>;

export const portalRatingInput = z.strictObject({
  rating: z
    .number({ message: 'must be a number of stars from 1 to 5' })
    .int('must be a whole number of stars from 1 to 5')
    .min(1, 'must be at least 1 star')
    .max(5, 'must be at most 5 stars'),
  comment: z.string().trim().max(2000, 'A comment must be at most 2,000 characters.').optional(),
});
export type PortalRatingInput = z.input<typeof portalRatingInput>;

export const portalItemsQuery = z.strictObject({
  status: z
    .enum(['open', 'closed'])
    .optional()
    .describe('open: still being handled; closed: resolved or closed.'),
  after: uuid.optional().describe('The `next` cursor of the previous page.'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type PortalItemsQuery = z.input<typeof portalItemsQuery>;

const mergedInto = z
  .object({
    ref: z.number().int(),
    /** Null when the surviving item is someone else's: the customer follows it through their own. */
    id: uuid.nullable(),
  })
  .nullable()
  .describe('Set when staff found this to be a duplicate: the work continues on that item.');

export const portalItemSummary = z.object({
  id: uuid,
  ref: z.number().int(),
  kind: itemKind,
  subject: z.string(),
  status: itemStatus.describe('For a merged item, the status of the item it was merged into.'),
  statusLabel: z.string(),
  rating: z.number().int().nullable(),
  mergedInto,
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type PortalItemSummary = z.infer<typeof portalItemSummary>;

export const portalItemPage = page(portalItemSummary);

export const portalMessage = z.object({
  id: uuid,
  /** customer: written by the customer (portal or email); staff: an answer from the company. */
  from: z.enum(['customer', 'staff']),
  /** The staff member's first name; null for automatic messages such as the acknowledgement. */
  staffName: z.string().nullable(),
  via: z.enum(['portal', 'email']),
  body: z.string(),
  attachments: z.array(z.object({ filename: z.string() })),
  createdAt: isoDate,
});
export type PortalMessage = z.infer<typeof portalMessage>;

export const portalItem = portalItemSummary.extend({
  body: z.string(),
  acknowledgedAt: isoDate.nullable(),
  firstRespondedAt: isoDate.nullable(),
  resolvedAt: isoDate.nullable(),
  closedAt: isoDate.nullable(),
  resolution: z.string().nullable().describe('The outcome, once resolved.'),
  informedAt: isoDate.nullable(),
  thankedAt: isoDate.nullable(),
  ratingComment: z.string().nullable(),
  ratedAt: isoDate.nullable(),
  canRate: z.boolean(),
  messages: z.array(portalMessage),
});
export type PortalItem = z.infer<typeof portalItem>;

/** The answer to a submission whose honeypot was filled in: looks fine, stores nothing. */
export const portalItemReceived = z.object({ received: z.literal(true) });

export const portalItemCreated = z.union([portalItem, portalItemReceived]);
