/**
 * Words and choices of the customer portal, without zod: the portal's pages import these, so the
 * small customer bundle does not carry the validation library. The zod enums are built from them.
 */
import type { ItemKind } from './listening.ts';

// ---- The customer's terms -------------------------------------------------------------------

export const contactChannels = ['email', 'phone', 'sms', 'post'] as const;
export type ContactChannel = (typeof contactChannels)[number];

export const contactPurposes = ['service', 'product_news', 'marketing', 'research'] as const;
export type ContactPurpose = (typeof contactPurposes)[number];

/** "At most once a …": how often a purpose may be used; `any` puts no limit. */
export const contactFrequencies = ['any', 'weekly', 'monthly', 'quarterly', 'yearly'] as const;
export type ContactFrequency = (typeof contactFrequencies)[number];

export const contactChannelLabels: Record<ContactChannel, string> = {
  email: 'Email',
  phone: 'Phone',
  sms: 'SMS',
  post: 'Post',
};
export const contactPurposeLabels: Record<ContactPurpose, string> = {
  service: 'Service (answers to what you asked, your requests)',
  product_news: 'Product news',
  marketing: 'Marketing and offers',
  research: 'Research and surveys',
};
export const contactFrequencyLabels: Record<ContactFrequency, string> = {
  any: 'No limit',
  weekly: 'At most once a week',
  monthly: 'At most once a month',
  quarterly: 'At most once a quarter',
  yearly: 'At most once a year',
};

// ---- The suggestions board -----------------------------------------------------------------

export const boardStatuses = ['under_review', 'planned', 'done', 'declined'] as const;
export type BoardStatus = (typeof boardStatuses)[number];
export const boardStatusLabels: Record<BoardStatus, string> = {
  under_review: 'Under review',
  planned: 'Planned',
  done: 'Done',
  declined: 'Declined',
};

// ---- What a customer submits -----------------------------------------------------------------

/** The kinds a customer picks from, with the one line that helps them choose. */
export const portalKindChoices: { kind: ItemKind; label: string; hint: string }[] = [
  { kind: 'question', label: 'Question', hint: 'You want to know something.' },
  { kind: 'request', label: 'Request', hint: 'You would like us to do something for you.' },
  { kind: 'suggestion', label: 'Suggestion', hint: 'An idea to make things better.' },
  { kind: 'complaint', label: 'Complaint', hint: 'Something went wrong and we should put it right.' },
  { kind: 'praise', label: 'Praise', hint: 'Something went well and you want to tell us.' },
  { kind: 'opinion', label: 'Opinion', hint: 'What you think about us, a product or a service.' },
];

export const portalKindLabels = Object.fromEntries(
  portalKindChoices.map((choice) => [choice.kind, choice.label]),
) as Record<ItemKind, string>;
