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

export const costSettingsVersion = z.object({
  id: z.string(),
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
