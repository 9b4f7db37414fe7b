import { z } from 'zod';
import { uuid } from './common.ts';
import { intentChannel, intentStatus } from './portal.ts';

/** numeric(14, 2): at most 999 999 999 999.99. */
const amount = z
  .number({ message: 'must be a number such as 1500' })
  .min(0, 'must be 0 or more')
  .max(999_999_999_999, 'must be less than 1 000 000 000 000');

// ---- Customer: what they are looking for ---------------------------------------------------------

export const createIntentInput = z.strictObject({
  what: z
    .string()
    .trim()
    .min(1, 'say what you are looking for')
    .max(2000, 'must be at most 2000 characters long'),
  budgetMin: amount.nullable().optional(),
  budgetMax: amount.nullable().optional(),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as EUR')
    .nullable()
    .optional(),
  wantedBy: z.iso
    .date({ message: 'must be a date such as 2026-12-31' })
    .nullable()
    .optional()
    .describe('By when (YYYY-MM-DD); today or later.'),
  channel: intentChannel.describe('How they want to be contacted; must be allowed by their terms.'),
  /** Honeypot: people leave it empty; a bot that fills it gets a 201 and nothing is stored. */
  website: z.string().max(500).optional(),
});
export type CreateIntentInput = z.infer<typeof createIntentInput>;

export const intentMessageInput = z.strictObject({
  body: z.string().trim().min(1, 'write a message').max(10_000, 'must be at most 10000 characters long'),
});
export type IntentMessageInput = z.infer<typeof intentMessageInput>;

/** One message of an intent's conversation: a staff answer or the customer's follow-up. */
export const intentMessage = z.object({
  id: z.string(),
  from: z.enum(['staff', 'customer']),
  /** The staff member's name, or null for the customer's own messages. */
  authorName: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
});
export type IntentMessage = z.infer<typeof intentMessage>;

const intentFields = {
  id: z.string(),
  what: z.string(),
  budgetMin: z.number().nullable(),
  budgetMax: z.number().nullable(),
  currency: z.string().nullable(),
  wantedBy: z.string().nullable().describe('YYYY-MM-DD'),
  channel: intentChannel,
  status: intentStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const customerIntent = z.object({ ...intentFields, messages: z.array(intentMessage) });
export type CustomerIntent = z.infer<typeof customerIntent>;

export const customerIntentPage = z.object({
  data: z.array(customerIntent),
  next: z.string().nullable(),
  allowedChannels: z
    .array(intentChannel)
    .describe('The channels the customer may pick: portal, plus those their terms allow.'),
});
export type CustomerIntentPage = z.infer<typeof customerIntentPage>;

// ---- Staff: leads ------------------------------------------------------------------------------

export const intentListQuery = z.strictObject({
  status: intentStatus.optional(),
  q: z.string().trim().max(200).optional().describe('Words in what they want or in their name.'),
  after: z.string().max(200).optional().describe('The `next` cursor of the previous page.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type IntentListQuery = z.infer<typeof intentListQuery>;

export const intentLead = z.object({
  ...intentFields,
  person: z.object({ id: z.string(), name: z.string() }),
  messagesCount: z.number().int(),
});
export type IntentLead = z.infer<typeof intentLead>;

export const intentLeadPage = z.object({ data: z.array(intentLead), next: z.string().nullable() });

export const intentLeadDetail = intentLead.extend({
  person: z.object({ id: z.string(), name: z.string(), email: z.string().nullable() }),
  messages: z.array(intentMessage),
  /** Whether an answer is also announced by email (their terms allow email for service). */
  emailAllowed: z.boolean(),
});
export type IntentLeadDetail = z.infer<typeof intentLeadDetail>;

export const intentIdParams = z.strictObject({ id: uuid });
