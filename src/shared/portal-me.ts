import { z } from 'zod';
import { isoDate, uuid, versionField } from './common.ts';
import { addressInput, emailInput, phoneInput } from './people.ts';
import { type TermsRecord, termsRecord } from './portal.ts';

export type TermsRecordOutput = TermsRecord;

// ---- What a customer may correct ---------------------------------------------------------------

const text = (max: number) =>
  z.string().trim().max(max, `must be at most ${max} characters long.`).nullable().optional();

/**
 * The details a customer corrects themselves. Strict: stage, owner, tags, custom fields, notes
 * and organization stay with staff, and sending them is refused naming the field.
 */
export const portalMeUpdateInput = z.strictObject({
  givenName: text(200),
  familyName: text(200),
  nickname: text(200),
  pronouns: text(50),
  jobTitle: text(200),
  birthday: z.iso.date().nullable().optional(),
  emails: z.array(emailInput).max(50).optional(),
  phones: z.array(phoneInput).max(50).optional(),
  addresses: z.array(addressInput).max(20).optional(),
  version: versionField.describe('The version you read; 409 when your details changed since.'),
});
export type PortalMeUpdateInput = z.infer<typeof portalMeUpdateInput>;

/** The fields of portalMeUpdateInput, as the "changed by customer" marks name them. */
export const correctableFields = [
  'givenName',
  'familyName',
  'nickname',
  'pronouns',
  'jobTitle',
  'birthday',
  'emails',
  'phones',
  'addresses',
] as const;

// ---- What a customer sees ---------------------------------------------------------------------

const labelled = { label: z.string().nullable(), primary: z.boolean() };

export const myContact = z.object({
  id: uuid,
  version: z.number().int(),
  displayName: z.string(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  nickname: z.string().nullable(),
  pronouns: z.string().nullable(),
  jobTitle: z.string().nullable(),
  birthday: z.string().nullable(),
  emails: z.array(z.object({ value: z.string(), ...labelled })),
  phones: z.array(z.object({ value: z.string(), e164: z.string(), ...labelled })),
  addresses: z.array(
    z.object({
      street: z.string().nullable(),
      city: z.string().nullable(),
      region: z.string().nullable(),
      postalCode: z.string().nullable(),
      country: z.string().nullable(),
      ...labelled,
    }),
  ),
  websites: z.array(z.object({ value: z.string(), ...labelled })),
  social: z.array(z.object({ service: z.string(), handle: z.string() })),
  updatedAt: isoDate,
});
export type MyContact = z.infer<typeof myContact>;

export const myInteraction = z.object({
  id: uuid,
  type: z.string(),
  channel: z.string().nullable(),
  direction: z.enum(['inbound', 'outbound']).nullable(),
  occurredAt: isoDate,
  summary: z.string(),
  outcome: z.string().nullable(),
});

export const myItem = z.object({
  id: uuid,
  ref: z.string(),
  kind: z.string(),
  channel: z.string(),
  subject: z.string(),
  status: z.string(),
  createdAt: isoDate,
  resolvedAt: isoDate.nullable(),
  resolution: z.string().nullable(),
});
export type MyItem = z.infer<typeof myItem>;

export const myData = z.object({
  email: z.string().describe('The address this portal session signed in with.'),
  person: myContact.nullable().describe('Null until the customer has a record.'),
  organization: z.object({ name: z.string() }).nullable(),
  interactions: z.array(myInteraction).describe('Newest first; at most 100 here, all in the export.'),
  items: z.array(myItem).describe('Newest first; at most 100 here, all in the export.'),
  terms: termsRecord,
  consents: z.array(termsRecord).describe('Every version of the terms, newest first.'),
  surveyAnswers: z.array(z.unknown()).describe('Always empty: Rapport does not run surveys yet.'),
});
export type MyData = z.infer<typeof myData>;

export const myMessage = z.object({
  at: isoDate,
  from: z.enum(['you', 'staff']),
  via: z.string().nullable(),
  subject: z.string().nullable(),
  body: z.string(),
});

export const myDataExport = myData.extend({
  exportedAt: isoDate,
  workspace: z.string(),
  items: z.array(
    myItem.extend({ body: z.string(), rating: z.number().nullable(), messages: z.array(myMessage) }),
  ),
  votes: z.array(z.object({ itemId: uuid, subject: z.string().nullable(), at: isoDate })),
  suggestionComments: z.array(z.object({ itemId: uuid, body: z.string(), at: isoDate })),
  articleFeedback: z.array(
    z.object({ articleId: uuid, title: z.string().nullable(), helpful: z.boolean(), at: isoDate }),
  ),
  intents: z.array(
    z.object({
      id: uuid,
      what: z.string(),
      budgetMin: z.string().nullable(),
      budgetMax: z.string().nullable(),
      currency: z.string().nullable(),
      wantedBy: z.string().nullable(),
      channel: z.string(),
      status: z.string(),
      createdAt: isoDate,
      responses: z.array(z.object({ from: z.enum(['you', 'staff']), body: z.string(), at: isoDate })),
    }),
  ),
  erasureRequests: z.array(
    z.object({
      status: z.string(),
      reason: z.string().nullable(),
      requestedAt: isoDate,
      dueAt: isoDate,
      decidedAt: isoDate.nullable(),
      decisionNote: z.string().nullable(),
      completedAt: isoDate.nullable(),
    }),
  ),
  signIns: z.array(z.object({ at: isoDate })),
  activity: z.array(z.object({ at: isoDate, action: z.string(), entity: z.string() })),
});
export type MyDataExport = z.infer<typeof myDataExport>;

// ---- Staff: a person's portal activity --------------------------------------------------------

export const portalActivityQuery = z.strictObject({
  after: z.string().optional().describe('The `next` cursor of the previous page.'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const portalActivityEntry = z.object({
  id: uuid,
  at: isoDate,
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  summary: z.string(),
});
export type PortalActivityEntry = z.infer<typeof portalActivityEntry>;

export const portalActivity = z.object({
  lastSignInAt: isoDate.nullable(),
  sessions: z.number().int().describe('Portal sign-ins of this person.'),
  activity: z.array(portalActivityEntry).describe('Newest first.'),
  next: z.string().nullable(),
  changedFields: z
    .array(z.object({ field: z.string(), at: isoDate }))
    .describe('Fields of the person the customer changed in the portal, and when (the latest time).'),
});
export type PortalActivity = z.infer<typeof portalActivity>;
