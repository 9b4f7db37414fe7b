import { z } from 'zod';
import { isoDate, uuid, versionField } from './common.ts';
import { type FieldProblem, normalizeWebsite } from './people.ts';

export const customFieldEntities = ['person', 'organization'] as const;
export type CustomFieldEntity = (typeof customFieldEntities)[number];
export const customFieldEntity = z.enum(customFieldEntities);

export const customFieldTypes = [
  'text',
  'number',
  'date',
  'select',
  'multiselect',
  'checkbox',
  'url',
] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];
export const customFieldType = z.enum(customFieldTypes);
export const customFieldTypeLabels: Record<CustomFieldType, string> = {
  text: 'Text',
  number: 'Number',
  date: 'Date',
  select: 'Select (one option)',
  multiselect: 'Multi-select',
  checkbox: 'Checkbox',
  url: 'Web address',
};
export const typesWithOptions: readonly CustomFieldType[] = ['select', 'multiselect'];

export const customFieldKey = z
  .string()
  .trim()
  .regex(
    /^[a-z][a-z0-9_]{0,49}$/,
    'must start with a letter and use only lower-case letters, digits and _ (at most 50), such as shoe_size.',
  );

/** A key derived from a label: "Shoe size" → "shoe_size". */
export function slugifyKey(label: string): string {
  const slug = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^[^a-z]+/, '')
    .slice(0, 50);
  return slug || 'field';
}

const optionList = z
  .array(
    z.string().trim().min(1, 'options must not be empty.').max(100, 'options are at most 100 characters.'),
  )
  .max(200, 'at most 200 options.')
  .refine((options) => new Set(options).size === options.length, 'each option must be listed once.');

export const createCustomFieldInput = z
  .strictObject({
    entity: customFieldEntity,
    key: customFieldKey.optional().describe('Defaults to a slug of the label; cannot be changed later.'),
    label: z.string().trim().min(1, 'is required.').max(100, 'must be at most 100 characters long.'),
    type: customFieldType,
    options: optionList.optional().describe('The choices of a select or multi-select field.'),
    position: z.number().int().min(0).max(100_000).optional().describe('Defaults to after the last one.'),
  })
  .superRefine(checkOptions);
export type CreateCustomFieldInput = z.infer<typeof createCustomFieldInput>;

export const updateCustomFieldInput = z.strictObject({
  label: z.string().trim().min(1, 'is required.').max(100, 'must be at most 100 characters long.').optional(),
  options: optionList.optional(),
  position: z.number().int().min(0).max(100_000).optional(),
  version: versionField,
});
export type UpdateCustomFieldInput = z.infer<typeof updateCustomFieldInput>;

function checkOptions(
  value: { type: CustomFieldType; options?: string[] | undefined },
  ctx: z.RefinementCtx,
) {
  const needs = typesWithOptions.includes(value.type);
  if (needs && !value.options?.length) {
    ctx.addIssue({ code: 'custom', path: ['options'], message: 'a select field needs at least one option.' });
  }
  if (!needs && value.options?.length) {
    ctx.addIssue({ code: 'custom', path: ['options'], message: `a ${value.type} field has no options.` });
  }
}

export const customField = z.object({
  id: uuid,
  entity: customFieldEntity,
  key: z.string(),
  label: z.string(),
  type: customFieldType,
  options: z.array(z.string()),
  position: z.number().int(),
  version: z.number().int(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type CustomField = z.infer<typeof customField>;

export const listCustomFieldsQuery = z.strictObject({
  entity: customFieldEntity.optional(),
});
export const customFieldList = z.object({ data: z.array(customField), next: z.null() });

type Definition = Pick<CustomField, 'key' | 'type' | 'options'>;

/**
 * Checks custom field values against the workspace's definitions and returns them normalized
 * (null and empty values dropped, URLs with a scheme, multi-select values once each).
 * Problems are reported as `<prefix>.<key>`.
 */
export function checkCustomFieldValues(
  values: Record<string, unknown>,
  definitions: readonly Definition[],
  prefix: string,
  problems: FieldProblem[],
): Record<string, unknown> {
  const byKey = new Map(definitions.map((definition) => [definition.key, definition]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const path = `${prefix}.${key}`;
    const definition = byKey.get(key);
    if (!definition) {
      problems.push({
        path,
        message: 'is not a custom field of this workspace (define it in Settings first).',
      });
      continue;
    }
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    const result = checkValue(definition, value);
    if ('error' in result) problems.push({ path, message: result.error });
    else out[key] = result.value;
  }
  return out;
}

function checkValue(definition: Definition, value: unknown): { value: unknown } | { error: string } {
  switch (definition.type) {
    case 'text':
      return typeof value === 'string' ? { value } : { error: 'must be text.' };
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? { value } : { error: 'must be a number.' };
    case 'checkbox':
      return typeof value === 'boolean' ? { value } : { error: 'must be true or false.' };
    case 'date':
      return typeof value === 'string' && z.iso.date().safeParse(value).success
        ? { value }
        : { error: 'must be a date such as 2024-05-31.' };
    case 'url': {
      const url = typeof value === 'string' ? normalizeWebsite(value) : null;
      return url ? { value: url } : { error: 'must be a web address such as https://example.com.' };
    }
    case 'select':
      return typeof value === 'string' && definition.options.includes(value)
        ? { value }
        : { error: `must be one of: ${definition.options.join(', ')}.` };
    case 'multiselect': {
      if (!Array.isArray(value)) return { error: 'must be a list of options.' };
      const wrong = value.filter((item) => typeof item !== 'string' || !definition.options.includes(item));
      if (wrong.length > 0) {
        return {
          error: `${wrong.map(String).join(', ')}: not an option (${definition.options.join(', ')}).`,
        };
      }
      return { value: [...new Set(value)] };
    }
  }
}
