import { z } from 'zod';
import { page } from './common.ts';
import { itemChannel, itemChannels } from './listening.ts';

const money = z
  .number({ message: 'must be an amount such as 6 or 0.1' })
  .min(0, 'must not be negative')
  .max(1_000_000, 'must be at most 1,000,000')
  .multipleOf(0.01, 'must have at most two decimals');

/** A map from channel to a number, e.g. {"phone": 6, "email": 3, "portal": 0.1}. */
function perChannel(value: z.ZodNumber) {
  return z
    .partialRecord(itemChannel, value)
    .default({})
    .describe(`Keys are channels: ${itemChannels.join(', ')}; a missing channel counts 0.`);
}

/** POST /api/v1/cost-settings: a new version of the cost settings, in force from a date. */
export const costSettingsBody = z.strictObject({
  effectiveFrom: z.iso
    .date({ message: 'must be a date such as 2026-01-31' })
    .describe('Items created on or after this day (workspace time zone) are priced with this version.'),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as EUR'),
  hourlyCost: money.describe('Cost of one hour of staff handling time.'),
  perContact: perChannel(money).describe('Cost per contact, by channel (e.g. phone 6, email 3, portal 0.1).'),
  handlingMinutes: perChannel(
    z
      .number({ message: 'must be a number of minutes' })
      .int('must be whole minutes')
      .min(0, 'must not be negative')
      .max(10_000, 'must be at most 10,000 minutes'),
  ).describe('Estimated handling minutes by channel, used when an item has no recorded handling time.'),
});
export type CostSettingsBody = z.infer<typeof costSettingsBody>;

export const costSettingsStatuses = ['scheduled', 'current', 'past', 'superseded'] as const;
export type CostSettingsStatus = (typeof costSettingsStatuses)[number];

export const costSettingsVersion = z.object({
  id: z.string(),
  status: z
    .enum(costSettingsStatuses)
    .describe(
      'scheduled: in force from a later day (can still be deleted); current: prices the items created today; ' +
        'past: priced an earlier stretch; superseded: another version added later for the same day replaced it.',
    ),
  effectiveFrom: z.string(),
  currency: z.string(),
  hourlyCost: z.number(),
  perContact: z.record(z.string(), z.number()),
  handlingMinutes: z.record(z.string(), z.number()),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type CostSettingsVersion = z.infer<typeof costSettingsVersion>;

export const costSettingsPage = page(costSettingsVersion);

/** POST /api/v1/cost-settings/preview: what a month's items would cost with these settings. */
export const costSettingsPreviewBody = costSettingsBody.extend({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month such as 2026-01')
    .optional()
    .describe('The month to price (workspace time zone); the last full month when not given.'),
});
export type CostSettingsPreviewBody = z.infer<typeof costSettingsPreviewBody>;

export const costSettingsPreview = z.object({
  month: z.string(),
  from: z.string(),
  to: z.string(),
  currency: z.string(),
  items: z.number().int(),
  cost: z.number(),
  costPerRequest: z.number().nullable().describe('null when no items were created that month.'),
  channels: z.array(
    z.object({
      channel: z.string(),
      items: z.number().int(),
      recordedItems: z
        .number()
        .int()
        .describe('Items with recorded handling time (used instead of the estimate).'),
      handlingMinutes: z.number().int().describe('Recorded minutes plus the estimate for the items without.'),
      cost: z.number(),
    }),
  ),
});
export type CostSettingsPreview = z.infer<typeof costSettingsPreview>;

/** What one channel's items cost, unrounded: the pricing rule of the cost metrics (costs.ts prices in SQL). */
export function channelCost(
  settings: Pick<CostSettingsBody, 'hourlyCost' | 'perContact' | 'handlingMinutes'>,
  channel: string,
  counts: { items: number; recordedItems: number; recordedMinutes: number },
) {
  const estimate = (settings.handlingMinutes as Record<string, number | undefined>)[channel] ?? 0;
  const perContact = (settings.perContact as Record<string, number | undefined>)[channel] ?? 0;
  const handlingMinutes = counts.recordedMinutes + (counts.items - counts.recordedItems) * estimate;
  return { handlingMinutes, cost: (handlingMinutes / 60) * settings.hourlyCost + counts.items * perContact };
}

export const roundMoney = (amount: number) => Math.round(amount * 100) / 100;
