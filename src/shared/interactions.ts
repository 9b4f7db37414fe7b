import { z } from 'zod';
import { isoDate, uuid, versionField } from './common.ts';
import { stage } from './people.ts';

export const interactionTypes = ['call', 'meeting', 'email', 'message', 'visit', 'purchase', 'note'] as const;
export type InteractionType = (typeof interactionTypes)[number];
export const interactionType = z.enum(interactionTypes);

/** Types that count as contact: they move a person's "last contacted" date. A note does not. */
export const contactTypes: readonly InteractionType[] = interactionTypes.filter((type) => type !== 'note');
export const isContact = (type: InteractionType) => type !== 'note';

export const channels = [
  'phone',
  'video',
  'email',
  'in_person',
  'chat',
  'sms',
  'social',
  'portal',
  'other',
] as const;
export type Channel = (typeof channels)[number];
export const channel = z.enum(channels);
export const directions = ['inbound', 'outbound'] as const;
export const direction = z.enum(directions);

export const interactionTypeLabels: Record<InteractionType, string> = {
  call: 'Call',
  meeting: 'Meeting',
  email: 'Email',
  message: 'Message',
  visit: 'Visit',
  purchase: 'Purchase',
  note: 'Note',
};
export const channelLabels: Record<Channel, string> = {
  phone: 'Phone',
  video: 'Video',
  email: 'Email',
  in_person: 'In person',
  chat: 'Chat',
  sms: 'SMS',
  social: 'Social',
  portal: 'Portal',
  other: 'Other',
};

/** The channel a type usually goes through, proposed by the quick form. */
export const defaultChannel: Partial<Record<InteractionType, Channel>> = {
  call: 'phone',
  meeting: 'in_person',
  email: 'email',
  message: 'chat',
  visit: 'in_person',
};

/** How far in the future an interaction may be dated (clock skew); plan future contact with nextFollowUpAt. */
export const futureToleranceMinutes = 10;

const summary = z
  .string()
  .trim()
  .min(1, 'is required.')
  .max(20_000, 'must be at most 20000 characters long.');
const outcome = z.string().trim().max(5000, 'must be at most 5000 characters long.');
const duration = z.number().int('must be a whole number of minutes.').min(0).max(100_000);
const ids = (max: number) => z.array(uuid).max(max, `at most ${max}.`);

const interactionFields = {
  type: interactionType,
  channel: channel.nullable().optional(),
  direction: direction.nullable().optional(),
  occurredAt: isoDate.optional().describe('When it happened; defaults to now.'),
  durationMinutes: duration.nullable().optional(),
  summary,
  outcome: outcome.nullable().optional(),
  personIds: ids(100).optional().describe('The people who took part (at least one unless organizationId).'),
  staffIds: ids(20).optional().describe('Staff users who took part; defaults to the caller.'),
  organizationId: uuid.nullable().optional(),
};

export const createInteractionInput = z
  .strictObject({
    ...interactionFields,
    nextFollowUpAt: isoDate
      .nullable()
      .optional()
      .describe('Sets (or clears, with null) the next follow-up date of every person taking part.'),
  })
  .refine((value) => (value.personIds?.length ?? 0) > 0 || Boolean(value.organizationId), {
    message: 'Name at least one person (personIds) or an organization (organizationId).',
    path: ['personIds'],
  });
export type CreateInteractionInput = z.infer<typeof createInteractionInput>;

export const updateInteractionInput = z.strictObject({
  type: interactionType.optional(),
  channel: interactionFields.channel,
  direction: interactionFields.direction,
  occurredAt: isoDate.optional(),
  durationMinutes: interactionFields.durationMinutes,
  summary: summary.optional(),
  outcome: interactionFields.outcome,
  personIds: ids(100).optional().describe('Replaces the people taking part.'),
  staffIds: ids(20).optional().describe('Replaces the staff taking part.'),
  organizationId: interactionFields.organizationId,
  version: versionField,
});
export type UpdateInteractionInput = z.infer<typeof updateInteractionInput>;

export const interaction = z.object({
  id: uuid,
  type: interactionType,
  channel: channel.nullable(),
  direction: direction.nullable(),
  occurredAt: isoDate,
  durationMinutes: z.number().int().nullable(),
  summary: z.string(),
  outcome: z.string().nullable(),
  organization: z.object({ id: uuid, name: z.string() }).nullable(),
  people: z.array(z.object({ id: uuid, displayName: z.string() })),
  staff: z.array(z.object({ id: uuid, name: z.string() })),
  createdBy: uuid.nullable(),
  version: z.number().int(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type Interaction = z.infer<typeof interaction>;

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item)]).transform((value) => (Array.isArray(value) ? value : [value]));

const pageFields = {
  type: oneOrMany(interactionType).optional().describe('One or more types (repeat the parameter).'),
  after: z.string().max(500).optional().describe('The `next` cursor of the previous page.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
};

export const timelineQuery = z.strictObject(pageFields);
export type TimelineQuery = z.infer<typeof timelineQuery>;

export const listInteractionsQuery = z.strictObject({
  personId: uuid.optional().describe("The person's timeline."),
  organizationId: uuid
    .optional()
    .describe("The organization's timeline: linked to it or to any of its people."),
  ...pageFields,
});
export type ListInteractionsQuery = z.infer<typeof listInteractionsQuery>;

const booleanParam = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

export const goneQuietQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(3650).default(30).describe('Not contacted within this many days.'),
  ownerId: uuid.optional(),
  stage: oneOrMany(stage).optional(),
  includeNever: booleanParam
    .default(false)
    .describe('Also list people never contacted at all (they come first).'),
  after: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type GoneQuietQuery = z.infer<typeof goneQuietQuery>;

export const goneQuietPerson = z.object({
  id: uuid,
  displayName: z.string(),
  stage,
  lastContactedAt: isoDate.nullable(),
  nextFollowUpAt: isoDate.nullable(),
  daysSinceContact: z.number().int().nullable(),
  owner: z.object({ id: uuid, name: z.string() }).nullable(),
  organization: z.object({ id: uuid, name: z.string() }).nullable(),
});
export type GoneQuietPerson = z.infer<typeof goneQuietPerson>;
