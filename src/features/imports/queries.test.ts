import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPersonInput, emptyPersonState, personColumns } from '../people/normalize.ts';
import { personRecord } from './queries.ts';

const jsonColumns = [
  'emails',
  'phones',
  'addresses',
  'websites',
  'social',
  'important_dates',
  'custom_fields',
];

/** What the API writes for a state, with its JSON text columns read back as values. */
function apiRow(state: ReturnType<typeof emptyPersonState>) {
  const columns: Record<string, unknown> = { ...personColumns(state) };
  for (const column of jsonColumns) columns[column] = JSON.parse(columns[column] as string);
  return columns;
}

const text = fc.option(fc.string({ maxLength: 20 }), { nil: undefined });

describe('import person record', () => {
  it('holds exactly the columns and values the people API writes', () => {
    fc.assert(
      fc.property(
        text,
        text,
        text,
        fc.array(fc.constantFrom('vip', 'Early Adopter', 'Zoë'), { maxLength: 3 }),
        fc.boolean(),
        fc.boolean(),
        (givenName, familyName, jobTitle, tags, withEmail, withPhone) => {
          const input = {
            givenName,
            familyName,
            jobTitle,
            tags,
            emails: withEmail ? [{ value: 'Ana@Example.com', label: 'work' }] : [],
            phones: withPhone ? [{ value: '(415) 555-0123', label: 'mobile' }] : [],
            addresses: [{ city: 'Springfield', country: 'US' }],
            social: [{ service: 'mastodon', handle: '@ana@example.social' }],
            importantDates: [{ label: 'first order', date: '2020-05-01' }],
            customFields: { size: 3 },
            notes: 'Line one\nLine two',
            birthday: '1990-02-28',
          };
          let state: ReturnType<typeof emptyPersonState>;
          try {
            state = applyPersonInput(emptyPersonState(), input, 'US');
          } catch {
            return; // no name, email or phone: refused before any record is made
          }
          const { id, workspace_id, ...record } = personRecord('p-id', 'w-id', state);
          expect([id, workspace_id]).toEqual(['p-id', 'w-id']);
          expect(record).toEqual(apiRow(state));
        },
      ),
      { numRuns: 200 },
    );
  });
});
