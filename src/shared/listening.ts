import { z } from 'zod';
import { email, isoDate, pageQuery, uuid, versionField } from './common.ts';
import type { Role } from './roles.ts';

export const itemKinds = ['opinion', 'request', 'suggestion', 'complaint', 'praise', 'question'] as const;
export type ItemKind = (typeof itemKinds)[number];
export const itemKind = z.enum(itemKinds);

export const itemChannels = [
  'email',
  'web_form',
  'portal',
  'phone',
  'chat',
  'social',
  'in_person',
  'survey',
  'letter',
] as const;
export type ItemChannel = (typeof itemChannels)[number];
export const itemChannel = z.enum(itemChannels);

export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];
export const priority = z.enum(priorities);

export const sentiments = ['very_negative', 'negative', 'neutral', 'positive', 'very_positive'] as const;
export type Sentiment = (typeof sentiments)[number];
export const sentiment = z.enum(sentiments);

export const itemStatuses = [
  'new',
  'acknowledged',
  'in_progress',
  'waiting_on_customer',
  'resolved',
  'closed',
  'reopened',
] as const;
export type ItemStatus = (typeof itemStatuses)[number];
export const itemStatus = z.enum(itemStatuses);
/** Statuses in which an item still needs work (SLA clocks run, queues show it). */
export const openStatuses: readonly ItemStatus[] = [
  'new',
  'acknowledged',
  'in_progress',
  'waiting_on_customer',
  'reopened',
];

export const ladderLevels = ['agent', 'lead', 'manager', 'executive'] as const;
export type LadderLevel = (typeof ladderLevels)[number];
export const ladderLevel = z.enum(ladderLevels);
/** A staff user's place on the ladder when none is set: leads are named explicitly. */
export const ladderLevelOfRole: Record<Role, LadderLevel> = {
  agent: 'agent',
  manager: 'manager',
  admin: 'manager',
  executive: 'executive',
};
export const ladderRank = (level: LadderLevel) => ladderLevels.indexOf(level);

export const informHows = ['email', 'phone', 'in_person', 'letter', 'portal', 'other'] as const;
export const informHow = z.enum(informHows);

export const itemKindLabels: Record<ItemKind, string> = {
  opinion: 'Opinion',
  request: 'Request',
  suggestion: 'Suggestion',
  complaint: 'Complaint',
  praise: 'Praise',
  question: 'Question',
};
export const itemChannelLabels: Record<ItemChannel, string> = {
  email: 'Email',
  web_form: 'Web form',
  portal: 'Portal',
  phone: 'Phone',
  chat: 'Chat',
  social: 'Social',
  in_person: 'In person',
  survey: 'Survey',
  letter: 'Letter',
};
export const itemStatusLabels: Record<ItemStatus, string> = {
  new: 'New',
  acknowledged: 'Acknowledged',
  in_progress: 'In progress',
  waiting_on_customer: 'Waiting on customer',
  resolved: 'Resolved',
  closed: 'Closed',
  reopened: 'Reopened',
};
export const ladderLevelLabels: Record<LadderLevel, string> = {
  agent: 'Agent',
  lead: 'Lead',
  manager: 'Manager',
  executive: 'Executive',
};

// ---- Observations -------------------------------------------------------------------------

export const observationTypes = ['text', 'number', 'boolean', 'datetime', 'choice'] as const;
export type ObservationType = (typeof observationTypes)[number];
export const observationKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,49}$/, 'must be lower-case letters, digits and _ , starting with a letter');
export const observationValue = z.union([
  z.string().trim().min(1, 'must not be empty').max(500),
  z.number().finite(),
  z.boolean(),
]);
export const observation = z.object({
  id: uuid,
  key: observationKey,
  type: z.enum(observationTypes),
  value: observationValue.describe('Date-times are ISO 8601 strings.'),
  authorId: uuid.nullable(),
  createdAt: isoDate,
});
export type Observation = z.infer<typeof observation>;
export const addObservationInput = z.strictObject({
  key: observationKey,
  value: observationValue,
  type: z
    .enum(observationTypes)
    .optional()
    .describe("Defaults to the category template's type for the key, else inferred from the value."),
});
export type AddObservationInput = z.infer<typeof addObservationInput>;

export const observationTemplateField = z.strictObject({
  key: observationKey,
  label: z.string().trim().min(1).max(100),
  type: z.enum(observationTypes),
  choices: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
});
export type ObservationTemplateField = z.infer<typeof observationTemplateField>;

// ---- Categories ---------------------------------------------------------------------------

export const category = z.object({
  id: uuid,
  name: z.string(),
  observationTemplate: z.array(observationTemplateField),
  version: z.number().int(),
});
export type Category = z.infer<typeof category>;
export const categoryInput = z.strictObject({
  name: z.string().trim().min(1, 'Name is required.').max(100),
  observationTemplate: z.array(observationTemplateField).max(50).default([]),
});
// Spelled out: partial() would keep the default and wipe the template of every rename.
export const updateCategoryInput = z.strictObject({
  name: categoryInput.shape.name.optional(),
  observationTemplate: z.array(observationTemplateField).max(50).optional(),
  version: versionField,
});

// ---- Items --------------------------------------------------------------------------------

export const item = z.object({
  id: uuid,
  ref: z.number().int().describe('A short number people can quote, shown as #ref.'),
  kind: itemKind,
  channel: itemChannel,
  subject: z.string(),
  body: z.string(),
  personId: uuid.nullable(),
  personName: z.string().nullable(),
  reporterName: z.string().nullable(),
  reporterEmail: z.string().nullable(),
  organizationId: uuid.nullable(),
  categoryId: uuid.nullable(),
  priority,
  sentiment: sentiment.nullable(),
  status: itemStatus,
  ownerId: uuid.nullable(),
  teamId: uuid.nullable(),
  escalationLevel: ladderLevel,
  tags: z.array(z.string()),
  firstResponseDueAt: isoDate.nullable(),
  resolutionDueAt: isoDate.nullable(),
  firstRespondedAt: isoDate.nullable(),
  firstResponseBreachedAt: isoDate.nullable(),
  resolutionBreachedAt: isoDate.nullable(),
  slaPausedAt: isoDate.nullable(),
  acknowledgedAt: isoDate.nullable(),
  resolvedAt: isoDate.nullable(),
  resolution: z.string().nullable(),
  informedAt: isoDate.nullable(),
  thankedAt: isoDate.nullable(),
  closedAt: isoDate.nullable(),
  closeReason: z.string().nullable(),
  observations: z.array(observation),
  problemId: uuid.nullable(),
  mergedIntoId: uuid.nullable(),
  voteCount: z.number().int(),
  rating: z.number().int().nullable().describe("The customer's rating of how it was handled (portal), 1–5."),
  ratingComment: z.string().nullable(),
  ratedAt: isoDate.nullable(),
  handlingMinutes: z
    .number()
    .int()
    .nullable()
    .describe(
      'Staff time recorded on the item, in minutes; null: the cost metrics use the channel estimate.',
    ),
  createdBy: uuid.nullable(),
  version: z.number().int(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type Item = z.infer<typeof item>;

const itemText = {
  subject: z
    .string()
    .trim()
    .min(1, 'Subject is required.')
    .max(500, 'Subject must be at most 500 characters.'),
  body: z.string().max(200_000, 'Body must be at most 200,000 characters.'),
};
const tagList = z.array(z.string().trim().min(1).max(50)).max(50);

export const createItemInput = z
  .strictObject({
    kind: itemKind,
    channel: itemChannel.default('phone'),
    subject: itemText.subject,
    body: itemText.body.default(''),
    personId: uuid.optional().describe('The customer; or give reporterEmail/reporterName.'),
    reporterName: z.string().trim().min(1).max(300).optional(),
    reporterEmail: email.optional().describe('Matched to a person by email, or a person is created.'),
    organizationId: uuid.optional(),
    categoryId: uuid.optional(),
    priority: priority.default('normal'),
    sentiment: sentiment.optional(),
    tags: tagList.default([]),
    observations: z.array(addObservationInput).max(50).default([]),
    acknowledge: z
      .boolean()
      .default(true)
      .describe(
        'Send the acknowledgement template to the customer (when one is enabled and an email is known).',
      ),
  })
  .describe('A new item. Logging one should take seconds: only kind and subject are required.');
export type CreateItemInput = z.infer<typeof createItemInput>;

export const updateItemInput = z.strictObject({
  kind: itemKind.optional(),
  channel: itemChannel.optional(),
  subject: itemText.subject.optional(),
  body: itemText.body.optional(),
  personId: uuid.nullable().optional(),
  organizationId: uuid.nullable().optional(),
  categoryId: uuid.nullable().optional(),
  priority: priority.optional(),
  sentiment: sentiment.nullable().optional(),
  tags: tagList.optional(),
  status: z
    .enum(['acknowledged', 'in_progress', 'waiting_on_customer'])
    .optional()
    .describe('Working statuses only; resolve, close and reopen have their own actions.'),
  teamId: uuid.nullable().optional(),
  version: versionField,
});
export type UpdateItemInput = z.infer<typeof updateItemInput>;

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');
export const itemQueues = [
  'all',
  'open',
  'unowned',
  'mine',
  'team',
  'breaching_soon',
  'breached',
  'escalated',
  'waiting_on_customer',
  'recently_closed',
] as const;
export type ItemQueue = (typeof itemQueues)[number];
export const itemQueueLabels: Record<ItemQueue, string> = {
  all: 'All items',
  open: 'Open',
  unowned: 'Unowned',
  mine: 'Mine',
  team: "My team's",
  breaching_soon: 'Breaching soon',
  breached: 'Breached',
  escalated: 'Escalated',
  waiting_on_customer: 'Waiting on customer',
  recently_closed: 'Recently closed',
};

export const listItemsQuery = pageQuery.extend({
  queue: z.enum(itemQueues).default('all'),
  kind: itemKind.optional(),
  status: itemStatus.optional(),
  channel: itemChannel.optional(),
  priority: priority.optional(),
  ownerId: uuid.optional(),
  personId: uuid.optional(),
  organizationId: uuid.optional(),
  categoryId: uuid.optional(),
  problemId: uuid.optional(),
  tag: z.string().trim().min(1).max(50).optional(),
  escalationLevel: ladderLevel.optional(),
  breached: booleanQuery.optional(),
  createdAfter: isoDate.optional(),
  createdBefore: isoDate.optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Words that must all be in the subject, in any order (the first 8 are used), or the item number ("#1042" or "1042").',
    ),
});
export type ListItemsQuery = z.infer<typeof listItemsQuery>;

// ---- Actions ------------------------------------------------------------------------------

export const assignInput = z.strictObject({ userId: uuid, version: versionField });
export const escalateInput = z.strictObject({
  level: ladderLevel.exclude(['agent']),
  reason: z.string().trim().min(1, 'Say why the item is escalated.').max(2000),
});
export const replyInput = z.strictObject({
  body: z.string().trim().min(1, 'Write the reply.').max(50_000),
  subject: z.string().trim().min(1).max(500).optional(),
  waitOnCustomer: z.boolean().default(false).describe('Set the status to waiting_on_customer.'),
});
export const noteInput = z.strictObject({
  body: z
    .string()
    .trim()
    .min(1, 'Write the note.')
    .max(50_000)
    .describe('@Name mentions notify staff users.'),
});
export const resolveInput = z.strictObject({
  resolution: z.string().trim().min(1, 'Say how the item was resolved.').max(20_000),
});
export const informInput = z.strictObject({
  how: informHow,
  summary: z.string().trim().min(1, 'Say what the customer was told.').max(20_000),
  send: z
    .boolean()
    .default(false)
    .describe('With how=email, send the summary to the customer (and everyone on merged items).'),
});
export const thankInput = z.strictObject({
  how: informHow,
  body: z
    .string()
    .trim()
    .min(1)
    .max(20_000)
    .optional()
    .describe('A personal thank-you; defaults to the template for the kind. With how=email it is sent.'),
});
export const closeInput = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .optional()
    .describe('Required unless the customer was informed and thanked (e.g. "anonymous", "unreachable").'),
});
export const reopenInput = z.strictObject({ reason: z.string().trim().min(1).max(2000).optional() });
export const mergeItemInput = z.strictObject({
  otherId: uuid.describe('The duplicate, merged into this item and closed.'),
});
export const voteInput = z.strictObject({
  personId: uuid.optional().describe("A customer's vote recorded by staff; default: the caller votes."),
});
export const bulkItemsInput = z.strictObject({
  ids: z.array(uuid).min(1).max(500),
  action: z.enum(['take', 'assign', 'add_tags', 'remove_tags']),
  userId: uuid.optional(),
  tags: tagList.optional(),
});

// ---- Events and messages ------------------------------------------------------------------

export const itemEvent = z.object({
  id: uuid,
  type: z.string(),
  actorType: z.enum(['user', 'token', 'system', 'customer', 'anonymous']),
  actorId: uuid.nullable(),
  actorName: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
});
export type ItemEvent = z.infer<typeof itemEvent>;

// ---- Lifecycle ----------------------------------------------------------------------------

/** The status changes an item allows; anything else is refused with 409. */
export const itemTransitions: Record<ItemStatus, readonly ItemStatus[]> = {
  new: ['acknowledged', 'in_progress', 'waiting_on_customer', 'resolved'],
  acknowledged: ['in_progress', 'waiting_on_customer', 'resolved'],
  in_progress: ['waiting_on_customer', 'resolved'],
  waiting_on_customer: ['in_progress', 'resolved'],
  reopened: ['in_progress', 'waiting_on_customer', 'resolved'],
  resolved: ['closed', 'reopened'],
  closed: ['reopened'],
};
export const canTransition = (from: ItemStatus, to: ItemStatus) => itemTransitions[from].includes(to);

export const itemEventsQuery = pageQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(500),
});

export const itemVote = z.object({
  id: uuid,
  personId: uuid.nullable().describe("A customer's vote (recorded by staff)."),
  personName: z.string().nullable(),
  userId: uuid.nullable().describe("A staff user's own vote."),
  userName: z.string().nullable(),
  createdAt: isoDate,
});
export type ItemVote = z.infer<typeof itemVote>;
export const voteResult = z.object({
  voteCount: z.number().int().describe("The item's votes after the change."),
  vote: itemVote.nullable().describe('The vote cast; null after withdrawing one.'),
});
export const unvoteQuery = z.strictObject({
  personId: uuid.optional().describe("Withdraw this customer's vote; default: the caller's own."),
});
