import { describe, expect, test } from 'vitest';
import { dayToIso, filterCount, isoToDay, paramsFromSearch, searchFromParams } from './filters.ts';

describe('list filters in the address', () => {
  test('round trip keeps repeated stages and tags, drops unknown and empty parameters', () => {
    const search = new URLSearchParams(
      'stage=customer&stage=influencer&tag=vip&q=ana&hasEmail=true&after=xyz&utm=1&ownerId=',
    );
    const params = paramsFromSearch(search);
    expect(params).toEqual({ stage: ['customer', 'influencer'], tag: ['vip'], q: 'ana', hasEmail: 'true' });
    expect(paramsFromSearch(searchFromParams(params))).toEqual(params);
  });

  test('search text and sort are not counted as filters', () => {
    expect(filterCount({ q: 'ana', sort: '-name' })).toBe(0);
    expect(filterCount({ q: 'ana', stage: ['customer'], hasPhone: 'false' })).toBe(2);
  });

  test('a day is the start of that local day, and back', () => {
    const iso = dayToIso('2024-02-29');
    expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(isoToDay(iso)).toBe('2024-02-29');
    expect(isoToDay(undefined)).toBe('');
  });
});
