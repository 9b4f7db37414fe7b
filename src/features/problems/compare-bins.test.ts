import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binNumericValues, maxNumericValues } from './compare-bins.ts';

const counts = fc.array(
  fc.record({
    value: fc.integer({ min: -1000, max: 1000 }).map(String),
    linkedCount: fc.nat(50),
    othersCount: fc.nat(50),
  }),
  { maxLength: 60 },
);

describe('binNumericValues', () => {
  it('keeps text values and short numeric lists as they are', () => {
    const text = ['vanilla', 'chocolate', 'mint', 'lemon', 'rum', 'coffee', 'pistachio'].map((value) => ({
      value,
      linkedCount: 1,
      othersCount: 1,
    }));
    expect(binNumericValues(text)).toEqual(text);
    const few = [1, 2, 3].map((n) => ({ value: String(n), linkedCount: n, othersCount: 0 }));
    expect(binNumericValues(few)).toEqual(few);
  });

  it('groups many numbers into ordered ranges of about equal weight', () => {
    const minutes = Array.from({ length: 10 }, (_, index) => ({
      value: String(index + 1),
      linkedCount: index < 2 ? 5 : 0,
      othersCount: index < 2 ? 0 : 10,
    }));
    const ranges = binNumericValues(minutes);
    expect(ranges.map((range) => range.value)).toEqual(['1–3', '4–5', '6–7', '8–9', '10']);
    expect(ranges[0]).toMatchObject({ linkedCount: 10, othersCount: 10 });
  });

  it('preserves counts, yields at most five ranges, in order (property)', () => {
    fc.assert(
      fc.property(counts, (values) => {
        const unique = [...new Map(values.map((entry) => [entry.value, entry])).values()];
        const result = binNumericValues(unique);
        const sum = (list: typeof unique, side: 'linkedCount' | 'othersCount') =>
          list.reduce((total, entry) => total + entry[side], 0);
        expect(sum(result, 'linkedCount')).toBe(sum(unique, 'linkedCount'));
        expect(sum(result, 'othersCount')).toBe(sum(unique, 'othersCount'));
        if (unique.length > maxNumericValues) expect(result.length).toBeLessThanOrEqual(5);
        else expect(result.length).toBe(unique.length);
      }),
    );
  });
});
