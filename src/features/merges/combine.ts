import {
  type ListMergeField,
  type MergeChoice,
  type MergeFieldChoices,
  type ScalarMergeField,
  scalarMergeFields,
} from '../../shared/merges.ts';
import { deriveDisplayName, emailKey, foldForSearch, normalizeTags } from '../../shared/people.ts';
import type { PersonState } from '../people/normalize.ts';

/** What separates the two texts when the notes of both people are kept. */
export const notesSeparator = '\n\n---\n\n';

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/** survivor's value, or the other's when the survivor has none. */
function fallback<T>(survivor: T, other: T): T {
  return isEmpty(survivor) ? other : survivor;
}

type ListItem = { primary?: boolean };

/** Survivor's items, then the other's that are not already there (by `key`); one primary at most. */
function union<T>(survivor: readonly T[], other: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set(survivor.map(key));
  const out = [...survivor];
  for (const item of other) {
    const k = key(item);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(item);
    }
  }
  let primarySeen = false;
  return out.map((item) => {
    if (typeof item !== 'object' || item === null || !('primary' in item)) return item;
    const primary = (item as ListItem).primary === true && !primarySeen;
    if (primary) primarySeen = true;
    return { ...item, primary };
  });
}

const fold = (text: string | null | undefined) => foldForSearch(text ?? '');

const listKeys = {
  emails: (item: PersonState['emails'][number]) => emailKey(item.value),
  phones: (item: PersonState['phones'][number]) => item.e164 || item.value,
  addresses: (item: PersonState['addresses'][number]) =>
    [item.street, item.city, item.region, item.postalCode, item.country].map(fold).join('|'),
  websites: (item: PersonState['websites'][number]) => item.value.toLowerCase().replace(/\/+$/, ''),
  social: (item: PersonState['social'][number]) => `${fold(item.service)}|${fold(item.handle)}`,
  importantDates: (item: PersonState['importantDates'][number]) => `${fold(item.label)}|${item.date}`,
};

function pick<T>(choice: MergeChoice | undefined, survivor: T, other: T): T {
  if (choice === 'survivor') return survivor;
  if (choice === 'other') return other;
  return fallback(survivor, other);
}

function mergeList<K extends keyof typeof listKeys>(
  field: K,
  choice: MergeChoice | undefined,
  survivor: PersonState,
  other: PersonState,
): PersonState[K] {
  if (choice !== 'both') return pick(choice, survivor[field], other[field]);
  const key = listKeys[field] as (item: unknown) => string;
  return union(survivor[field] as unknown[], other[field] as unknown[], key) as PersonState[K];
}

function mergeCustomFields(fields: MergeFieldChoices, survivor: PersonState, other: PersonState) {
  const choice = fields.customFields;
  let merged: Record<string, unknown>;
  if (choice === 'survivor') merged = { ...survivor.customFields };
  else if (choice === 'other') merged = { ...other.customFields };
  else {
    // Unspecified and 'both' alike: every key of either person, the survivor's value first.
    merged = { ...other.customFields };
    for (const [key, value] of Object.entries(survivor.customFields)) {
      merged[key] = fallback(value, other.customFields[key]);
    }
  }
  for (const [key, side] of Object.entries(fields)) {
    if (!key.startsWith('customFields.')) continue;
    const name = key.slice('customFields.'.length);
    const value = side === 'other' ? other.customFields[name] : survivor.customFields[name];
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

function mergeNotes(choice: MergeChoice | undefined, survivor: string | null, other: string | null) {
  if (choice !== 'both') return pick(choice, survivor, other);
  if (!survivor) return other;
  if (!other || other === survivor) return survivor;
  return `${survivor}${notesSeparator}${other}`;
}

function latest(a: string | null, b: string | null) {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/**
 * The survivor's state after the merge. Each field follows its choice; a field left out keeps
 * the survivor's value, or the other's when the survivor has none (lastContactedAt: the latest
 * of the two; the chosen display name: the survivor's unless only the other has a name).
 */
export function combinePeople(
  survivor: PersonState,
  other: PersonState,
  fields: MergeFieldChoices,
): PersonState {
  const next: PersonState = { ...survivor };
  const choice = (field: ScalarMergeField | ListMergeField) => fields[field] as MergeChoice | undefined;
  const scalars = scalarMergeFields.filter(
    (field) => field !== 'displayName' && field !== 'lastContactedAt',
  ) as Exclude<ScalarMergeField, 'displayName' | 'lastContactedAt'>[];
  for (const field of scalars) {
    (next as Record<string, unknown>)[field] = pick(choice(field), survivor[field], other[field]);
  }
  const lastContacted = choice('lastContactedAt');
  next.lastContactedAt =
    lastContacted === undefined
      ? latest(survivor.lastContactedAt, other.lastContactedAt)
      : pick(lastContacted, survivor.lastContactedAt, other.lastContactedAt);
  const displayName = choice('displayName');
  if (displayName === undefined) {
    next.customDisplayName =
      survivor.customDisplayName ?? (deriveDisplayName(next) ? null : other.customDisplayName);
  } else {
    next.customDisplayName = pick(displayName, survivor.customDisplayName, other.customDisplayName);
  }
  next.emails = mergeList('emails', choice('emails'), survivor, other);
  next.phones = mergeList('phones', choice('phones'), survivor, other);
  next.addresses = mergeList('addresses', choice('addresses'), survivor, other);
  next.websites = mergeList('websites', choice('websites'), survivor, other);
  next.social = mergeList('social', choice('social'), survivor, other);
  next.importantDates = mergeList('importantDates', choice('importantDates'), survivor, other);
  const tags = choice('tags');
  next.tags =
    tags === 'both'
      ? normalizeTags([...survivor.tags, ...other.tags])
      : pick(tags, survivor.tags, other.tags);
  next.customFields = mergeCustomFields(fields, survivor, other);
  next.notes = mergeNotes(choice('notes'), survivor.notes, other.notes);
  return next;
}
