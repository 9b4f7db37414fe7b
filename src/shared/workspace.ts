import { getCountries, isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { uuid } from './common.ts';
import { phoneRegion } from './people.ts';

export const workspaceSettings = z.object({
  id: uuid,
  name: z.string(),
  defaultRegion: z
    .string()
    .describe('Two-letter region used to read phone numbers written without +country code.'),
});
export type WorkspaceSettings = z.infer<typeof workspaceSettings>;

export const updateWorkspaceInput = z.strictObject({
  name: z.string().trim().min(1, 'is required.').max(200, 'must be at most 200 characters long.').optional(),
  defaultRegion: phoneRegion
    .refine((region) => isSupportedCountry(region), 'is not a region we know phone numbers of.')
    .optional(),
});
export type UpdateWorkspaceInput = z.infer<typeof updateWorkspaceInput>;

/** Every region with phone numbering, as select options with the country's English name. */
export function regionOptions(locale = 'en'): { value: string; label: string }[] {
  const names = new Intl.DisplayNames([locale], { type: 'region' });
  return getCountries()
    .map((code) => ({ value: code, label: `${names.of(code) ?? code} (${code})` }))
    .sort((a, b) => a.label.localeCompare(b.label, locale));
}
