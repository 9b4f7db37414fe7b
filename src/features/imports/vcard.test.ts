import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPersonInput, type Person } from '../../shared/people.ts';
import { foldLine, personToVCard } from '../exports/vcard.ts';
import { applyPersonInput, displayNameOf, emptyPersonState, type PersonState } from '../people/normalize.ts';
import { VCardReader } from './vcard.ts';

function read(text: string, chunk = text.length || 1) {
  const reader = new VCardReader();
  const out = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...reader.push(text.slice(i, i + chunk)));
  out.push(...reader.end());
  return out;
}

const stateFrom = (input: unknown) =>
  applyPersonInput(emptyPersonState(), createPersonInput.parse(input), 'US');

function personOf(state: PersonState): Person & { customDisplayName: boolean } {
  const { customDisplayName, ...rest } = state;
  return {
    ...rest,
    id: '0190a6c4-5b1e-7000-8000-000000000000',
    displayName: displayNameOf(state) ?? '?',
    customDisplayName: customDisplayName !== null,
    photoUrl: null,
    version: 1,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-02T00:00:00.000Z',
  };
}

describe('vCard reader', () => {
  it('unfolds lines, decodes escapes, reads several cards', () => {
    const text =
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana\r\n  Lima\r\nN:Lima;Ana;;;\r\nNOTE:a\\, b\\; c\\\\d\\ne\r\nEND:VCARD\r\nBEGIN:VCARD\nFN:Bo\nEMAIL:bo@example.com\nEND:VCARD\n';
    const drafts = read(text, 5);
    expect(drafts).toHaveLength(2);
    expect(drafts[0]?.person).toMatchObject({ givenName: 'Ana', familyName: 'Lima', notes: 'a, b; c\\d\ne' });
    expect(drafts[0]?.person.displayName).toBeUndefined(); // FN equals the name parts: stays derived
    expect(drafts[1]?.person).toMatchObject({ displayName: 'Bo', emails: [{ value: 'bo@example.com' }] });
  });

  it('keeps only the first preferred value and reports text outside cards', () => {
    const reader = new VCardReader();
    const drafts = [
      ...reader.push(
        'junk\nBEGIN:VCARD\nFN:X\nTEL;TYPE=pref:+1 415 555 0100\nTEL;PREF=1:+1 415 555 0101\nEND:VCARD\n',
      ),
      ...reader.end(),
    ];
    expect(drafts[0]?.person.phones?.map((p) => p.primary)).toEqual([true, false]);
    expect(reader.problems[0]?.message).toMatch(/outside BEGIN:VCARD/);
  });

  it('folds long lines at 75 octets without splitting characters', () => {
    const folded = foldLine(`NOTE:${'é'.repeat(100)}`);
    for (const line of folded.split('\r\n').filter(Boolean))
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(read(`BEGIN:VCARD\r\nFN:x\r\n${folded}END:VCARD\r\n`)[0]?.person.notes).toBe('é'.repeat(100));
  });

  it('property: export → import gives back every field of the person', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'Z', 'é', '中', ',', ';', ':', '\\', '"', '^', ' ', '\n', 'x'),
      maxLength: 12,
    });
    const word = fc.stringMatching(/^[a-z]{1,8}$/);
    const label = fc.option(
      fc.constantFrom('work', 'home', 'mobile', 'other', 'Work', 'cell', 'Barn; loft', 'fax'),
      { nil: null },
    );
    const input = fc.record({
      givenName: fc.option(text, { nil: null }),
      familyName: fc.option(text, { nil: null }),
      prefix: fc.option(text, { nil: null }),
      suffix: fc.option(text, { nil: null }),
      nickname: fc.option(text, { nil: null }),
      displayName: fc.option(word, { nil: null }),
      pronouns: fc.option(text, { nil: null }),
      jobTitle: fc.option(text, { nil: null }),
      stage: fc.constantFrom(
        'prospect',
        'customer',
        'former_customer',
        'influencer',
        'advocate',
        'partner',
        'other',
      ),
      source: fc.option(text, { nil: null }),
      birthday: fc.option(fc.constantFrom('1985-04-12', '2000-02-29'), { nil: null }),
      emails: fc.uniqueArray(fc.record({ value: word.map((w) => `${w}@example.com`), label }), {
        maxLength: 3,
        selector: (e) => e.value,
      }),
      phones: fc.uniqueArray(
        fc.record({
          value: fc.integer({ min: 0, max: 9999 }).map((n) => `+1 415 555 ${String(n).padStart(4, '0')}`),
          label,
        }),
        { maxLength: 3, selector: (p) => p.value },
      ),
      addresses: fc.array(
        fc.record({ label, street: text.map((s) => `${s}1`), city: fc.option(text, { nil: null }) }),
        { maxLength: 2 },
      ),
      websites: fc.array(fc.record({ value: word.map((w) => `https://${w}.example.com/a,b;c`), label }), {
        maxLength: 2,
      }),
      social: fc.array(fc.record({ service: word, handle: word.map((w) => `@${w}`) }), { maxLength: 2 }),
      importantDates: fc.array(
        fc.record({ label: text.map((s) => `d${s}`), date: fc.constant('2010-09-01') }),
        { maxLength: 2 },
      ),
      tags: fc.array(text, { maxLength: 4 }),
      customFields: fc.dictionary(
        word,
        fc.oneof(text, fc.integer(), fc.boolean(), fc.array(text, { maxLength: 3 })),
      ),
      notes: fc.option(text, { nil: null }),
      lastContactedAt: fc.option(fc.constant('2024-05-01T10:20:30.000Z'), { nil: null }),
    });
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 40 }), (raw, chunk) => {
        // A person needs a name, an email or a phone: a blank generated name stands for none.
        const withContact = { ...raw, givenName: raw.givenName?.trim() ? raw.givenName : 'Someone' };
        const state = stateFrom(withContact);
        const card = personToVCard(personOf(state), null);
        const drafts = read(card, chunk);
        expect(drafts).toHaveLength(1);
        expect(drafts[0]?.warnings).toEqual([]);
        const back = stateFrom(drafts[0]?.person);
        expect(back).toEqual({ ...state, organizationId: null, ownerId: null });
      }),
      { numRuns: 200 },
    );
  });
});
