import type { MergeChoice } from '../../shared/merges.ts';
import type { Person } from '../../shared/people.ts';

/** The fields a merge can choose, in the order the compare view shows them. */
export interface MergeField {
  key: keyof Person & string;
  label: string;
  /** Lists, tags, custom fields and notes can keep both values. */
  canKeepBoth: boolean;
}

const scalar = (key: MergeField['key'], label: string): MergeField => ({ key, label, canKeepBoth: false });
const list = (key: MergeField['key'], label: string): MergeField => ({ key, label, canKeepBoth: true });

export const mergeFields: MergeField[] = [
  scalar('prefix', 'Prefix'),
  scalar('givenName', 'Given name'),
  scalar('familyName', 'Family name'),
  scalar('suffix', 'Suffix'),
  scalar('nickname', 'Nickname'),
  scalar('pronouns', 'Pronouns'),
  scalar('jobTitle', 'Job title'),
  scalar('organizationId', 'Organization'),
  scalar('ownerId', 'Owner'),
  scalar('stage', 'Stage'),
  scalar('source', 'Source'),
  scalar('birthday', 'Birthday'),
  list('emails', 'Emails'),
  list('phones', 'Phones'),
  list('addresses', 'Addresses'),
  list('websites', 'Websites'),
  list('social', 'Social'),
  list('importantDates', 'Important dates'),
  list('tags', 'Tags'),
  list('customFields', 'Custom fields'),
  list('notes', 'Notes'),
  scalar('lastContactedAt', 'Last contacted'),
  scalar('nextFollowUpAt', 'Next follow-up'),
];

export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/** Field values compared as the API stores them. */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

type Labelled = { value?: string; label?: string | null; primary?: boolean };

function itemText(item: unknown): string {
  if (typeof item === 'string') return item;
  if (!item || typeof item !== 'object') return String(item);
  const record = item as Record<string, unknown> & Labelled;
  if ('service' in record) return `${String(record.service)}: ${String(record.handle)}`;
  if ('date' in record && 'label' in record) return `${String(record.label)}: ${String(record.date)}`;
  const main =
    record.value ??
    [record.street, record.city, record.region, record.postalCode, record.country].filter(Boolean).join(', ');
  const extras = [record.label, record.primary ? 'primary' : null].filter(Boolean).join(', ');
  return extras ? `${main} (${extras})` : String(main);
}

/** One line per value, for the side-by-side comparison. */
export function displayLines(
  key: MergeField['key'],
  value: unknown,
  names: Record<string, string>,
): string[] {
  if (isEmptyValue(value)) return [];
  if (key === 'organizationId' || key === 'ownerId') return [names[String(value)] ?? String(value)];
  if (key === 'lastContactedAt' || key === 'nextFollowUpAt') {
    return [new Date(String(value)).toLocaleString()];
  }
  if (key === 'customFields') {
    return Object.entries(value as Record<string, unknown>).map(
      ([name, field]) => `${name}: ${Array.isArray(field) ? field.join(', ') : String(field)}`,
    );
  }
  if (Array.isArray(value)) return value.map(itemText);
  return [String(value)];
}

/** What the merge keeps when nobody chooses: as the API does, plus "both" where both have a list. */
export function defaultChoice(field: MergeField, survivor: Person, other: Person): MergeChoice {
  const mine = survivor[field.key];
  const theirs = other[field.key];
  if (isEmptyValue(mine)) return isEmptyValue(theirs) ? 'survivor' : 'other';
  if (field.canKeepBoth && !isEmptyValue(theirs)) return 'both';
  return 'survivor';
}

/** The fields whose values differ: the only ones the merge form asks about. */
export function differingFields(a: Person, b: Person): MergeField[] {
  return mergeFields.filter((field) => !sameValue(a[field.key], b[field.key]));
}
