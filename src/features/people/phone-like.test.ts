import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { phoneLike } from './queries.ts';

/** Digits of an E.164 number (country code first), as people's phones are stored. */
const e164Digits = fc.stringMatching(/^[1-9]\d{7,14}$/);
const separator = fc.constantFrom('', ' ', '-', '.', ' - ');

/** Writes the digits in groups with the separator. */
function grouped(digits: string, size: number, between: string) {
  return (digits.match(new RegExp(`.{1,${size}}`, 'g')) ?? []).join(between);
}

describe('phoneLike', () => {
  it('finds an international number written with + or with the 00 prefix, in any grouping', () => {
    fc.assert(
      fc.property(e164Digits, separator, fc.integer({ min: 2, max: 4 }), (digits, between, size) => {
        const written = grouped(digits, size, between);
        expect(phoneLike(`+${written}`)).toBe(`%${digits}%`);
        expect(phoneLike(`00${between}${written}`)).toBe(`%${digits}%`);
      }),
    );
  });

  it('drops a trunk (0) after the country code, keeps a national leading 0, refuses words', () => {
    expect(phoneLike('+44 (0)20 7946 0958')).toBe('%442079460958%');
    expect(phoneLike('020 7946 0958')).toBe('%02079460958%');
    expect(phoneLike('(415) 555-0199')).toBe('%4155550199%');
    expect(phoneLike('12')).toBeNull();
    // A short fragment starting 00 is the end of a number, not a prefix.
    expect(phoneLike('0012')).toBe('%0012%');
    expect(phoneLike('call 555')).toBeNull();
  });
});
