import type { ListParams } from '../api.ts';

/** Filters of the people list, as they appear in the page address (and in saved views). */
export const multiKeys = ['stage', 'tag'] as const;
export const singleKeys = [
  'q',
  'ownerId',
  'organizationId',
  'hasEmail',
  'hasPhone',
  'lastContactedBefore',
  'lastContactedAfter',
  'customField',
  'sort',
] as const;

export function paramsFromSearch(search: URLSearchParams): ListParams {
  const params: ListParams = {};
  for (const key of multiKeys) {
    const values = search.getAll(key).filter(Boolean);
    if (values.length) params[key] = values;
  }
  for (const key of singleKeys) {
    const value = search.get(key);
    if (value) params[key] = value;
  }
  return params;
}

export function searchFromParams(params: ListParams): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) if (item) search.append(key, item);
  }
  return search;
}

/** How many filters (not search text or sort) are set: shown on the Filters button. */
export function filterCount(params: ListParams): number {
  return Object.entries(params).filter(([key, value]) => key !== 'q' && key !== 'sort' && value?.length)
    .length;
}

/** Turns a date input (YYYY-MM-DD) into the start of that day in the user's time zone, as ISO. */
export function dayToIso(day: string): string {
  const parsed = new Date(`${day}T00:00:00`);
  return Number.isNaN(parsed.getTime()) ? day : parsed.toISOString();
}

export function isoToDay(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
