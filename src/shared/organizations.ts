import { z } from 'zod';
import { isoDate, uuid, versionField } from './common.ts';
import { customFieldFilter, customFieldsInput, personSorts, tagsInput } from './people.ts';

/**
 * A domain as stored: lower case, without scheme, `www.`, port or path
 * ("https://www.Example.com/about" → "example.com"); null when it is not a domain name.
 */
export function normalizeDomain(value: string): string | null {
  let host = value.trim().normalize('NFC').toLowerCase();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^[^@/]*@/, '');
  host = host.split(/[/?#]/)[0] ?? '';
  host = host
    .replace(/:\d+$/, '')
    .replace(/\.$/, '')
    .replace(/^www\./, '');
  const label = '[\\p{L}\\p{N}](?:[\\p{L}\\p{M}\\p{N}-]{0,61}[\\p{L}\\p{M}\\p{N}])?';
  const pattern = new RegExp(
    `^(?=.{1,253}$)(?:${label}\\.)+\\p{L}[\\p{L}\\p{M}\\p{N}-]*[\\p{L}\\p{M}\\p{N}]$`,
    'u',
  );
  return pattern.test(host) ? host : null;
}

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters long.`);
const optionalText = (max: number) => text(max).nullable().optional();

export const organizationAddress = z.strictObject({
  street: optionalText(500),
  city: optionalText(200),
  region: optionalText(200),
  postalCode: optionalText(50),
  country: optionalText(100),
});

const organizationFields = {
  name: text(300).min(1, 'is required.'),
  domains: z.array(text(300)).max(20).optional().describe('example.com (a URL is reduced to its domain)'),
  industry: optionalText(200),
  size: optionalText(50).describe('Headcount band such as 11-50 (free text)'),
  address: organizationAddress.nullable().optional(),
  parentId: uuid.nullable().optional(),
  tags: tagsInput.optional(),
  customFields: customFieldsInput.optional(),
  notes: z.string().max(100_000).nullable().optional().describe('Markdown'),
};

export const createOrganizationInput = z.strictObject(organizationFields);
export type CreateOrganizationInput = z.infer<typeof createOrganizationInput>;

export const updateOrganizationInput = z.strictObject({
  ...organizationFields,
  name: organizationFields.name.optional(),
  version: versionField,
});
export type UpdateOrganizationInput = z.infer<typeof updateOrganizationInput>;
export type OrganizationFieldsInput = Omit<UpdateOrganizationInput, 'version'>;

export const organization = z.object({
  id: uuid,
  name: z.string(),
  domains: z.array(z.string()),
  industry: z.string().nullable(),
  size: z.string().nullable(),
  address: z
    .object({
      street: z.string().nullable(),
      city: z.string().nullable(),
      region: z.string().nullable(),
      postalCode: z.string().nullable(),
      country: z.string().nullable(),
    })
    .nullable(),
  parentId: uuid.nullable(),
  tags: z.array(z.string()),
  customFields: z.record(z.string(), z.unknown()),
  notes: z.string().nullable(),
  version: z.number().int(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type Organization = z.infer<typeof organization>;

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item)]).transform((value) => (Array.isArray(value) ? value : [value]));

export const listOrganizationsQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe('Part of the name, a domain or a tag; when none has it, similar names (typos).'),
  tag: oneOrMany(text(100)).optional().describe('One or more tags (repeat the parameter): all of them.'),
  parentId: uuid.optional(),
  customField: oneOrMany(customFieldFilter)
    .optional()
    .describe(
      'key:value (repeat the parameter: all must match); a multi-select field matches when it contains the value.',
    ),
  sort: z.enum(personSorts).default('name').describe('A field, `-` in front for descending.'),
  after: z.string().max(2000).optional().describe('The `next` cursor of the previous page.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListOrganizationsQuery = z.infer<typeof listOrganizationsQuery>;
