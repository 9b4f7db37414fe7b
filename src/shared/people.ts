import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { isoDate, uuid, versionField } from './common.ts';

export const stages = [
  'prospect',
  'customer',
  'former_customer',
  'influencer',
  'advocate',
  'partner',
  'other',
] as const;
export type Stage = (typeof stages)[number];
export const stage = z.enum(stages);

/** A field that was refused, and why (the API answers 422 with a list of these). */
export interface FieldProblem {
  path: string;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Normalizers: pure functions, shared by the API, the importer and the web forms.
// ---------------------------------------------------------------------------------------------

/** Trims; an empty or missing value becomes null. Unicode is kept exactly as given. */
export function cleanText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * Text as search compares it: lower case, Latin/Greek/Cyrillic accents and Arabic vowel marks
 * removed, compatibility forms folded (full-width letters), runs of spaces collapsed.
 * CJK, Hangul and other scripts are kept.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, '')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The key two emails are matched by: trimmed, NFC, lower-cased. */
export function emailKey(value: string): string {
  return value.trim().normalize('NFC').toLowerCase();
}

const asciiEmail = z.email();
const unicodeEmail =
  /^(?!\.)(?!.*\.\.)[^\s@"<>(),;:\\[\]]{1,64}(?<!\.)@(?=.{4,253}$)(?:[^\s@"<>(),;:\\[\]._-][^\s@"<>(),;:\\[\].]*\.)+[^\s@"<>(),;:\\[\]._\d-]{2,}$/u;

export function isValidEmail(value: string): boolean {
  const trimmed = value.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII range check
  if (/^[\x00-\x7f]*$/.test(trimmed)) return asciiEmail.safeParse(trimmed).success;
  return unicodeEmail.test(trimmed.normalize('NFC'));
}

export interface NormalizedPhone {
  /** E.164, e.g. +14155550123 (an extension is kept only in the original value). */
  e164: string;
  /** Digits of the national format (with the trunk prefix, e.g. 02079460958), for search. */
  nationalDigits: string;
}

/** Reads a phone number written in any format; numbers without a country code use `region`. */
export function normalizePhone(value: string, region: string): NormalizedPhone | null {
  const parsed = parsePhoneNumberFromString(value.trim(), region.toUpperCase() as CountryCode);
  if (!parsed?.isValid()) return null;
  return { e164: parsed.number, nationalDigits: parsed.formatNational().replace(/\D/g, '') };
}

export const phoneRegion = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code such as US or FR')
  .transform((value) => value.toUpperCase());

/** A website as given, with https:// added when no scheme was written; null when it is not a web address. */
export function normalizeWebsite(value: string): string | null {
  const trimmed = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (!url.hostname.includes('.') || /\s/.test(trimmed)) return null;
    return withScheme;
  } catch {
    return null;
  }
}

/** Tags: trimmed, inner spaces collapsed, lower-cased, each once. */
export function normalizeTags(tags: readonly string[]): string[] {
  const out = new Set<string>();
  for (const tag of tags) {
    const clean = tag.trim().replace(/\s+/g, ' ').toLowerCase();
    if (clean) out.add(clean);
  }
  return [...out];
}

/**
 * Exactly one item of a list is primary: the one marked, else the first. Two marked is an
 * error (the caller must say which one it means).
 */
export function withOnePrimary<T extends { primary?: boolean | undefined }>(
  items: readonly T[],
  path: string,
  problems: FieldProblem[],
): (T & { primary: boolean })[] {
  const marked = items.filter((item) => item.primary === true).length;
  if (marked > 1) problems.push({ path, message: 'mark only one of them as primary.' });
  const firstMarked = items.findIndex((item) => item.primary === true);
  const primaryIndex = firstMarked === -1 ? 0 : firstMarked;
  return items.map((item, index) => ({ ...item, primary: index === primaryIndex }));
}

const eastAsian = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * The name shown for a person when none was chosen: given + family name (family name first,
 * without a space, for Chinese, Japanese and Korean names), then the suffix; else the nickname.
 */
export function deriveDisplayName(parts: {
  givenName?: string | null;
  familyName?: string | null;
  suffix?: string | null;
  nickname?: string | null;
}): string | null {
  const given = cleanText(parts.givenName);
  const family = cleanText(parts.familyName);
  let name: string | null;
  if (given && family && eastAsian.test(given + family)) name = `${family}${given}`;
  else name = [given, family].filter(Boolean).join(' ') || null;
  const suffix = cleanText(parts.suffix);
  if (name && suffix) name = `${name} ${suffix}`;
  return name ?? cleanText(parts.nickname);
}

// ---------------------------------------------------------------------------------------------
// Payloads
// ---------------------------------------------------------------------------------------------

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters long.`);
const optionalText = (max: number) => text(max).nullable().optional();
const label = optionalText(50).describe('work, home, mobile… (free text)');
const required = (max: number) => text(max).min(1, 'is required.');

export const emailInput = z.strictObject({
  value: required(254),
  label,
  primary: z.boolean().optional(),
});
export const phoneInput = z.strictObject({
  value: required(60).describe('Any format; numbers without a country code use the workspace region.'),
  label,
  primary: z.boolean().optional(),
});
export const addressInput = z.strictObject({
  label,
  street: optionalText(500),
  city: optionalText(200),
  region: optionalText(200),
  postalCode: optionalText(50),
  country: optionalText(100),
  primary: z.boolean().optional(),
});
export const websiteInput = z.strictObject({ value: required(2000), label, primary: z.boolean().optional() });
export const socialInput = z.strictObject({
  service: required(50).describe('linkedin, x, mastodon, github…'),
  handle: required(300),
});
export const importantDateInput = z.strictObject({ label: required(100), date: z.iso.date() });
export const tagsInput = z.array(text(100)).max(100, 'at most 100 tags.');
export const customFieldsInput = z
  .record(
    text(100).min(1, 'field names must not be empty.'),
    z.union([
      z.string().max(10_000),
      z.number(),
      z.boolean(),
      z.null(),
      z.array(z.string().max(1000)).max(100),
    ]),
  )
  .refine((value) => Object.keys(value).length <= 200, 'at most 200 custom fields.');

const personFields = {
  givenName: optionalText(200),
  familyName: optionalText(200),
  prefix: optionalText(50),
  suffix: optionalText(50),
  nickname: optionalText(200),
  displayName: optionalText(500).describe('Leave empty to derive it from the name parts.'),
  pronouns: optionalText(50),
  jobTitle: optionalText(200),
  stage: stage.optional(),
  source: optionalText(500).describe('How we met them, or who referred them.'),
  ownerId: uuid.nullable().optional(),
  organizationId: uuid.nullable().optional(),
  birthday: z.iso.date().nullable().optional(),
  emails: z.array(emailInput).max(50).optional(),
  phones: z.array(phoneInput).max(50).optional(),
  addresses: z.array(addressInput).max(20).optional(),
  websites: z.array(websiteInput).max(20).optional(),
  social: z.array(socialInput).max(20).optional(),
  importantDates: z.array(importantDateInput).max(50).optional(),
  tags: tagsInput.optional(),
  customFields: customFieldsInput.optional(),
  notes: z.string().max(100_000).nullable().optional().describe('Markdown'),
  lastContactedAt: isoDate.nullable().optional(),
  nextFollowUpAt: isoDate.nullable().optional(),
};

export const createPersonInput = z
  .strictObject(personFields)
  .refine(
    (value) =>
      [value.givenName, value.familyName, value.displayName, value.nickname].some((part) =>
        cleanText(part),
      ) ||
      (value.emails?.length ?? 0) > 0 ||
      (value.phones?.length ?? 0) > 0,
    { message: 'Give at least a name, an email or a phone number.' },
  );
export type CreatePersonInput = z.infer<typeof createPersonInput>;

export const updatePersonInput = z.strictObject({
  ...personFields,
  version: versionField,
});
export type UpdatePersonInput = z.infer<typeof updatePersonInput>;
/** The fields of a person that can be written (create and update share them). */
export type PersonFieldsInput = Omit<UpdatePersonInput, 'version'>;

const labelled = { label: z.string().nullable(), primary: z.boolean() };
export const person = z.object({
  id: uuid,
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  prefix: z.string().nullable(),
  suffix: z.string().nullable(),
  nickname: z.string().nullable(),
  displayName: z.string(),
  pronouns: z.string().nullable(),
  jobTitle: z.string().nullable(),
  stage,
  source: z.string().nullable(),
  ownerId: uuid.nullable(),
  organizationId: uuid.nullable(),
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
  importantDates: z.array(z.object({ label: z.string(), date: z.string() })),
  tags: z.array(z.string()),
  customFields: z.record(z.string(), z.unknown()),
  notes: z.string().nullable(),
  lastContactedAt: isoDate.nullable(),
  nextFollowUpAt: isoDate.nullable(),
  photoUrl: z
    .string()
    .nullable()
    .describe('The 256×256 JPEG photo (add &size=64 for a thumbnail); null without one.'),
  version: z.number().int(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type Person = z.infer<typeof person>;

/** `?tag=a&tag=b` or `?tag=a`: always a list. */
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item)]).transform((value) => (Array.isArray(value) ? value : [value]));

export const personSorts = ['name', '-name', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt'] as const;
export type PersonSort = (typeof personSorts)[number];

/** Sorts of the people list: the shared ones, plus last contacted (never contacted counts as oldest). */
export const personListSorts = [...personSorts, 'lastContactedAt', '-lastContactedAt'] as const;
export type PersonListSort = (typeof personListSorts)[number];

const booleanParam = z
  .enum(['true', 'false'], { message: 'must be true or false.' })
  .transform((value) => value === 'true');

/** `key:value`; the value is read by the field's type (multi-select: contains that option). */
export const customFieldFilter = z
  .string()
  .max(1100)
  .regex(/^[a-z][a-z0-9_]{0,49}:.+$/s, 'must be key:value, such as shoe_size:42.')
  .transform((value) => {
    const colon = value.indexOf(':');
    return { key: value.slice(0, colon), value: value.slice(colon + 1) };
  });

export const listPeopleQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe('Part of a name, email, phone or tag; when nobody has it, similar names (typos).'),
  stage: oneOrMany(stage).optional().describe('One or more stages (repeat the parameter): any of them.'),
  tag: oneOrMany(text(100)).optional().describe('One or more tags (repeat the parameter): all of them.'),
  ownerId: uuid.optional(),
  organizationId: uuid.optional(),
  hasEmail: booleanParam.optional(),
  hasPhone: booleanParam.optional(),
  lastContactedBefore: isoDate
    .optional()
    .describe('Not contacted since this time: includes people never contacted.'),
  lastContactedAfter: isoDate.optional().describe('Contacted at or after this time.'),
  customField: oneOrMany(customFieldFilter)
    .optional()
    .describe(
      'key:value (repeat the parameter: all must match); a multi-select field matches when it contains the value.',
    ),
  sort: z.enum(personListSorts).default('name').describe('A field, `-` in front for descending.'),
  after: z.string().max(2000).optional().describe('The `next` cursor of the previous page.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListPeopleQuery = z.infer<typeof listPeopleQuery>;

export const searchQuery = z.strictObject({
  q: text(200).min(1, 'type something to search for.'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const searchResult = z.object({
  type: z.enum(['person', 'organization']),
  id: uuid,
  title: z.string(),
  subtitle: z.string().nullable(),
  score: z.number(),
});
export type SearchResult = z.infer<typeof searchResult>;
export const searchResults = z.object({ data: z.array(searchResult) });

export const bulkActions = ['addTags', 'removeTags', 'setOwner', 'setStage', 'delete', 'restore'] as const;
export type BulkAction = (typeof bulkActions)[number];
export const bulkPeopleInput = z
  .strictObject({
    ids: z
      .array(uuid)
      .min(1, 'choose at least one person.')
      .max(1000, 'at most 1000 people at a time.')
      .transform((ids) => [...new Set(ids)]),
    action: z.enum(bulkActions),
    tags: tagsInput.optional().describe('addTags, removeTags'),
    ownerId: uuid.nullable().optional().describe('setOwner (null: no owner)'),
    stage: stage.optional().describe('setStage'),
  })
  .superRefine((value, ctx) => {
    const need = (field: 'tags' | 'ownerId' | 'stage') =>
      ctx.addIssue({ code: 'custom', path: [field], message: `is required for ${value.action}.` });
    if (
      (value.action === 'addTags' || value.action === 'removeTags') &&
      !normalizeTags(value.tags ?? []).length
    )
      need('tags');
    if (value.action === 'setOwner' && value.ownerId === undefined) need('ownerId');
    if (value.action === 'setStage' && value.stage === undefined) need('stage');
  });
export type BulkPeopleInput = z.infer<typeof bulkPeopleInput>;
export const bulkPeopleResult = z.object({ affected: z.number().int(), ids: z.array(uuid) });

export const notesHistoryEntry = z.object({
  id: z.string(),
  notes: z.string().nullable(),
  authorId: uuid.nullable(),
  authorName: z.string().nullable(),
  createdAt: isoDate,
});
export type NotesHistoryEntry = z.infer<typeof notesHistoryEntry>;
export const photoQuery = z.strictObject({
  v: z.string().max(20).optional().describe('The photo version (cache buster).'),
  size: z.enum(['256', '64']).default('256'),
});
