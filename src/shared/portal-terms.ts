import { z } from 'zod';
import { contactChannel, contactFrequency, contactPurpose, terms, termsRecord } from './portal.ts';

// ---- Customer: setting the terms ----------------------------------------------------------------

export const putTermsInput = z.strictObject({
  terms,
  version: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('The version you read (0 for the defaults); when someone changed the terms since, 409.'),
});
export type PutTermsInput = z.infer<typeof putTermsInput>;

export const termsVersion = z.object({
  version: z.number().int(),
  terms,
  setBy: z.enum(['customer', 'staff']),
  setAt: z.string(),
});
export type TermsVersion = z.infer<typeof termsVersion>;

export const termsHistory = z.object({
  data: z.array(termsVersion).describe('Every version, newest first.'),
});
export type TermsHistory = z.infer<typeof termsHistory>;

// ---- The machine-readable agreement record ------------------------------------------------------

const permission = z.enum(['allow', 'deny']);

export const agreementTerms = z.object({
  channels: z.array(z.object({ channel: contactChannel, label: z.string(), permission })),
  purposes: z.array(
    z.object({
      purpose: contactPurpose,
      label: z.string(),
      permission,
      maxFrequency: contactFrequency
        .nullable()
        .describe('How often at most; null for service messages, which have no limit.'),
    }),
  ),
  sharing: z.object({ thirdParties: permission }),
});
export type AgreementTerms = z.infer<typeof agreementTerms>;

export const termsAgreement = z.object({
  '@context': z.string(),
  type: z.literal('PersonalTermsAgreement'),
  basedOn: z.string(),
  id: z.string(),
  firstParty: z.object({
    role: z.literal('individual'),
    description: z.string(),
    id: z.string().nullable(),
    email: z.string(),
  }),
  secondParty: z.object({
    role: z.literal('organization'),
    description: z.string(),
    name: z.string(),
    portalUrl: z.string(),
  }),
  terms: agreementTerms,
  version: z.number().int(),
  effectiveFrom: z.string().nullable(),
  setBy: z.enum(['customer', 'staff']).nullable(),
  canonicalization: z.string(),
  sha256: z.string(),
  history: z.array(
    z.object({
      version: z.number().int(),
      setBy: z.enum(['customer', 'staff']),
      effectiveFrom: z.string(),
      sha256: z.string(),
    }),
  ),
  generatedAt: z.string(),
});
export type TermsAgreement = z.infer<typeof termsAgreement>;

// ---- Staff: a person's terms and messages sent under them ---------------------------------------

export const contactCounts = z.object({
  service: z.number().int(),
  product_news: z.number().int(),
  marketing: z.number().int(),
  research: z.number().int(),
});

export const personTerms = z.object({
  current: termsRecord,
  history: z.array(termsVersion),
  contactsLast365Days: contactCounts.describe(
    'Messages sent through Rapport in the last 365 days, by purpose.',
  ),
  lastContactAt: z
    .object({
      service: z.string().nullable(),
      product_news: z.string().nullable(),
      marketing: z.string().nullable(),
      research: z.string().nullable(),
    })
    .describe('When the last message of each purpose was sent.'),
});
export type PersonTerms = z.infer<typeof personTerms>;

export const personMessageInput = z.strictObject({
  purpose: contactPurpose,
  subject: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
  body: z.string().trim().min(1, 'must not be empty').max(20000, 'must be at most 20,000 characters'),
  to: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: 'must be an email address such as ana@example.com' }))
    .optional()
    .describe("One of the person's emails; the primary one when left out."),
});
export type PersonMessageInput = z.infer<typeof personMessageInput>;

export const personMessageSent = z.object({
  outboxId: z.string(),
  interactionId: z.string(),
  to: z.string(),
  purpose: contactPurpose,
});
export type PersonMessageSent = z.infer<typeof personMessageSent>;
