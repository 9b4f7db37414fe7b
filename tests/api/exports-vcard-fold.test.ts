/**
 * The vCard writer's fast paths (folding by UTF-16 code units, escaping skipped when there is
 * nothing to escape, a card built as one string) write exactly what the former code wrote, on
 * random people and text of every width.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldLine, personToVCard } from '../../src/features/exports/vcard.ts';
import { escapeText } from '../../src/features/imports/vcard.ts';
import { formerFoldLine, formerPersonToVCard } from '../support/former-vcard.ts';

const pieces = fc.constantFrom(
  'a',
  'é',
  '李',
  '🙂',
  '👩‍👩‍👧',
  ',',
  ';',
  '\\',
  '\n',
  '\r\n',
  ' ',
  '\ud800',
  '\udc00',
  'x'.repeat(30),
);
const text = fc.array(pieces, { maxLength: 80 }).map((parts) => parts.join(''));

describe('vCard writer', () => {
  it('folds lines as the former code point loop did', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (line) => {
        expect(foldLine(line)).toBe(formerFoldLine(line));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(text, (line) => {
        expect(foldLine(`NOTE:${line}`)).toBe(formerFoldLine(`NOTE:${line}`));
      }),
      { numRuns: 3000 },
    );
  });

  it('escapes values as escapeText does', () => {
    fc.assert(
      fc.property(text, (value) => {
        const card = personToVCard(
          {
            id: '01a24c55-5297-7000-ad7a-c17cf980dddc',
            givenName: value,
            familyName: null,
            prefix: null,
            suffix: null,
            nickname: value || null,
            displayName: value || 'x',
            pronouns: null,
            jobTitle: value || null,
            stage: 'prospect',
            source: null,
            ownerId: null,
            organizationId: null,
            birthday: null,
            emails: [],
            phones: [],
            addresses: [],
            websites: [],
            social: [],
            importantDates: [],
            tags: [value || 't'],
            customFields: {},
            notes: value,
            lastContactedAt: null,
            nextFollowUpAt: null,
            photoUrl: null,
            version: 1,
            createdAt: '2024-01-01T00:00:00.000Z',
            updatedAt: '2024-01-01T00:00:00.000Z',
            customDisplayName: false,
          } as Parameters<typeof personToVCard>[0],
          value || null,
        );
        const unfolded = card.replace(/\r\n /g, '');
        expect(unfolded).toContain(`NOTE:${escapeText(value)}\r\n`);
        if (value) expect(unfolded).toContain(`ORG:${escapeText(value)}\r\n`);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes every card as the former writer did', () => {
    const label = fc.constantFrom(null, 'work', 'home', 'mobile', 'fax', 'Home office', 'a;b');
    const maybeText = fc.option(text, { nil: null });
    const person = fc.record({
      id: fc.uuid(),
      givenName: maybeText,
      familyName: maybeText,
      prefix: maybeText,
      suffix: maybeText,
      nickname: maybeText,
      displayName: text,
      pronouns: maybeText,
      jobTitle: maybeText,
      stage: fc.constantFrom('prospect', 'customer'),
      source: maybeText,
      ownerId: fc.option(fc.uuid(), { nil: null }),
      organizationId: fc.option(fc.uuid(), { nil: null }),
      birthday: fc.constantFrom(null, '1990-02-28'),
      emails: fc.array(fc.record({ value: text, label, primary: fc.boolean() }), { maxLength: 3 }),
      phones: fc.array(fc.record({ value: text, e164: fc.constant(null), label, primary: fc.boolean() }), {
        maxLength: 3,
      }),
      addresses: fc.array(
        fc.record({
          street: maybeText,
          city: maybeText,
          region: maybeText,
          postalCode: maybeText,
          country: maybeText,
          label,
          primary: fc.boolean(),
        }),
        { maxLength: 2 },
      ),
      websites: fc.array(fc.record({ value: text, label, primary: fc.boolean() }), { maxLength: 2 }),
      social: fc.array(fc.record({ service: text, handle: text }), { maxLength: 2 }),
      importantDates: fc.array(fc.record({ label: text, date: fc.constant('2020-05-01') }), { maxLength: 2 }),
      tags: fc.array(text, { maxLength: 3 }),
      customFields: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })),
      notes: maybeText,
      lastContactedAt: fc.constantFrom(null, '2024-02-29T23:59:59.999Z'),
      nextFollowUpAt: fc.constantFrom(null, '2024-03-01T00:00:00.000Z'),
      photoUrl: fc.constant(null),
      version: fc.nat(),
      createdAt: fc.constant('2024-01-01T00:00:00.000Z'),
      updatedAt: fc.constantFrom('2024-01-01T00:00:00.000Z', '2025-06-30T12:34:56.789Z'),
      customDisplayName: fc.boolean(),
    });
    fc.assert(
      fc.property(person, fc.option(text, { nil: null }), (someone, organization) => {
        const input = someone as unknown as Parameters<typeof personToVCard>[0];
        expect(personToVCard(input, organization)).toBe(formerPersonToVCard(input, organization));
      }),
      { numRuns: 2000 },
    );
  });
});
