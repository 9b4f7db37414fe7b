import { z } from 'zod';
import { email } from './common.ts';
import { boardStatuses, contactChannels, contactFrequencies, contactPurposes } from './portal-words.ts';

// ---- The customer's terms -------------------------------------------------------------------

export const contactChannel = z.enum(contactChannels);
export const contactPurpose = z.enum(contactPurposes);
export const contactFrequency = z.enum(contactFrequencies);

/** What a customer allows. The newest version is in force; each change is a new version. */
export const terms = z.strictObject({
  channels: z.strictObject({ email: z.boolean(), phone: z.boolean(), sms: z.boolean(), post: z.boolean() }),
  purposes: z.strictObject({
    service: z.boolean(),
    product_news: z.boolean(),
    marketing: z.boolean(),
    research: z.boolean(),
  }),
  frequency: z.strictObject({
    product_news: contactFrequency,
    marketing: contactFrequency,
    research: contactFrequency,
  }),
  shareWithThirdParties: z.boolean(),
});
export type Terms = z.infer<typeof terms>;

/**
 * Until a customer sets terms, only service messages are allowed (answers to what they asked),
 * by email, phone or post; nothing is shared. The customer decides the rest.
 */
export const defaultTerms: Terms = {
  channels: { email: true, phone: true, sms: false, post: true },
  purposes: { service: true, product_news: false, marketing: false, research: false },
  frequency: { product_news: 'any', marketing: 'any', research: 'any' },
  shareWithThirdParties: false,
};

export const termsRecord = z.object({
  version: z.number().int().describe('0 when the customer never set terms (the defaults apply).'),
  terms,
  setBy: z.enum(['customer', 'staff']).nullable(),
  setAt: z.string().nullable(),
});
export type TermsRecord = z.infer<typeof termsRecord>;

// ---- Enums shared by the portal's parts ---------------------------------------------------------

export const boardStatus = z.enum(boardStatuses);

export const erasureStatuses = ['requested', 'approved', 'rejected', 'done'] as const;
export type ErasureStatus = (typeof erasureStatuses)[number];
export const erasureStatus = z.enum(erasureStatuses);

export const intentChannels = ['portal', 'email', 'phone', 'sms', 'post'] as const;
export type IntentChannel = (typeof intentChannels)[number];
export const intentChannel = z.enum(intentChannels);
export const intentStatuses = ['open', 'closed', 'withdrawn'] as const;
export type IntentStatus = (typeof intentStatuses)[number];
export const intentStatus = z.enum(intentStatuses);

// ---- The portal site and sign-in ----------------------------------------------------------------

export const portalSlug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2–63 lower-case letters, digits or dashes, such as acme');

/** Where the caller names the portal: `?workspace=<slug>` (optional when there is one workspace). */
export const portalWorkspaceQuery = z.strictObject({
  workspace: portalSlug.optional().describe('The portal slug; optional when the server has one workspace.'),
});

export const portalParts = z.object({
  items: z.boolean(),
  suggestions: z.boolean(),
  articles: z.boolean(),
  intents: z.boolean(),
});
export type PortalParts = z.infer<typeof portalParts>;

/** What the portal's pages need before sign-in: branding and which parts are on. */
export const portalSite = z.object({
  slug: z.string(),
  name: z.string(),
  title: z.string(),
  welcome: z.string().nullable(),
  primaryColor: z.string(),
  logoUrl: z.string().nullable(),
  parts: portalParts,
  publicSuggestions: z.boolean(),
  publicArticles: z.boolean(),
  erasureDays: z.number().int(),
});
export type PortalSite = z.infer<typeof portalSite>;

export const magicLinkInput = z.strictObject({
  email,
  workspace: portalSlug.optional(),
  /** Honeypot: people leave it empty; a bot that fills it gets the same 202 and no mail. */
  website: z.string().max(500).optional(),
});
export type MagicLinkInput = z.infer<typeof magicLinkInput>;

export const redeemInput = z.strictObject({
  token: z
    .string()
    .trim()
    .min(20, 'must be the code from the sign-in link')
    .max(200, 'must be the code from the sign-in link'),
});

export const portalSession = z.object({
  email: z.string(),
  personId: z.string().nullable(),
  name: z.string().nullable(),
  csrfToken: z.string(),
  site: portalSite,
});
export type PortalSession = z.infer<typeof portalSession>;

// ---- Staff: portal settings ---------------------------------------------------------------------

const hexColour = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^#[0-9a-f]{6}$/, 'must be a colour such as #1c7ed6');

export const portalSettings = z.object({
  slug: z.string(),
  enabled: z.boolean(),
  title: z.string().nullable(),
  welcome: z.string().nullable(),
  primaryColor: z.string(),
  logoUrl: z.string().nullable(),
  parts: portalParts,
  publicSuggestions: z.boolean(),
  publicArticles: z.boolean(),
  erasureDays: z.number().int(),
  portalUrl: z.string(),
});
export type PortalSettings = z.infer<typeof portalSettings>;

export const updatePortalSettingsInput = z.strictObject({
  slug: portalSlug.optional(),
  enabled: z.boolean().optional(),
  title: z.string().trim().min(1).max(200).nullable().optional(),
  welcome: z.string().trim().max(5000).nullable().optional(),
  primaryColor: hexColour.optional(),
  parts: portalParts.partial().strict().optional(),
  publicSuggestions: z.boolean().optional(),
  publicArticles: z.boolean().optional(),
  erasureDays: z.number().int().min(1).max(90).optional(),
});
export type UpdatePortalSettingsInput = z.infer<typeof updatePortalSettingsInput>;
