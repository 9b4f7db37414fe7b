import { type PersonFieldsInput, type Stage, stages } from '../../shared/people.ts';

/**
 * One row of a file, read into the fields of a person but not yet validated: the same
 * validation and normalization as the people API runs on it next.
 */
export interface ImportDraft {
  /** Row number: CSV records counted from the header (row 1); vCard cards from 1. */
  row: number;
  person: PersonFieldsInput;
  /** The organization to find (or create) by name. */
  organizationName: string | null;
  warnings: string[];
  /** Set when the row could not be read at all. */
  error?: string;
}

export function emptyDraft(row: number): ImportDraft {
  return { row, person: {}, organizationName: null, warnings: [] };
}

const lifecycleStages: Record<string, Stage> = {
  subscriber: 'prospect',
  lead: 'prospect',
  marketingqualifiedlead: 'prospect',
  salesqualifiedlead: 'prospect',
  opportunity: 'prospect',
  evangelist: 'advocate',
  formercustomer: 'former_customer',
  client: 'customer',
};

/** A stage written as ours (any case, spaces or dashes) or as a HubSpot lifecycle stage. */
export function parseStage(value: string): Stage | null {
  const key = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if ((stages as readonly string[]).includes(key)) return key as Stage;
  return lifecycleStages[key.replace(/_/g, '')] ?? null;
}

function validDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null;
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A date as exports write it: 1985-04-12, 19850412, 1985-04-12T…, 4/12/1985 (month first, as
 * Outlook writes), 12.04.1985 (day first). `noYear` when only a month and day are given.
 */
export function parseDate(value: string): { date: string } | { noYear: true } | null {
  const text = value.trim();
  let match = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$/.exec(text);
  if (match) {
    const date = validDate(Number(match[1]), Number(match[2]), Number(match[3]));
    return date ? { date } : null;
  }
  match = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(text);
  if (match) {
    let year = Number(match[3]);
    if (match[3]!.length === 2) year += year > 30 ? 1900 : 2000;
    const date = validDate(year, Number(match[1]), Number(match[2]));
    return date ? { date } : null;
  }
  match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  if (match) {
    const date = validDate(Number(match[3]), Number(match[2]), Number(match[1]));
    return date ? { date } : null;
  }
  if (/^--\d{2}-?\d{2}$/.test(text)) return { noYear: true };
  return null;
}

/** Dates such as Outlook's "0/0/00" mean "none". */
export function isEmptyDate(value: string): boolean {
  return /^[0/.\-\s]*$/.test(value);
}

const knownLabels = new Set(['work', 'home', 'mobile', 'other', 'fax', 'pager', 'main']);

/**
 * A label as exports write it: Apple's `_$!<Mobile>!$_`, Google's `* Work` (the star marks the
 * primary value). Apple's built-in labels and, in CSV files, the common ones (Work, Home…) are
 * lower-cased; others are kept exactly, so that our own vCards round-trip.
 */
export function cleanLabel(
  value: string | null | undefined,
  from: 'csv' | 'vcard',
): { label: string | null; primary: boolean } {
  if (!value) return { label: null, primary: false };
  let text = value.trim();
  let primary = false;
  if (from === 'csv' && text.startsWith('* ')) {
    primary = true;
    text = text.slice(2).trim();
  }
  const apple = /^_\$!<(.*)>!\$_$/.exec(text);
  if (apple) text = apple[1]!;
  if (apple || (from === 'csv' && knownLabels.has(text.toLowerCase()))) text = text.toLowerCase();
  return { label: text || null, primary };
}
