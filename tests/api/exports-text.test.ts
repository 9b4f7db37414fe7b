/**
 * The export reads people as text built by the database (CSV lines, Person JSON); these
 * property tests prove that the output is byte for byte what the former reading (rows decoded
 * by the driver, `personOutput`, the JavaScript formatters) writes, on random nasty people.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExportOptions, type ExportSource, exportPeople } from '../../src/features/exports/people.ts';
import { personVCardText } from '../../src/features/exports/vcard-sql.ts';
import type { Delimiter } from '../../src/features/imports/csv.ts';
import { personExportColumns } from '../../src/shared/exports.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
const organizationIds: string[] = [];
const customFields = {
  motto: 'text',
  size: 'number',
  since: 'date',
  tier: 'select',
  topics: 'multiselect',
  vip: 'checkbox',
  homepage: 'url',
} as const;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  for (const [key, type] of Object.entries(customFields)) {
    const options =
      type === 'select' || type === 'multiselect' ? ['a, "b"', 'ü;x', 'plain', '🙂'] : undefined;
    const created = await admin.client.post('/api/v1/custom-fields', {
      entity: 'person',
      key,
      label: key,
      type,
      ...(options ? { options } : {}),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  for (const name of ['Acme, Inc.', 'Say "hi"\nLtd', 'שלום; מרחבא', 'Plain']) {
    const org = await admin.client.post('/api/v1/organizations', { name });
    expect(org.status).toBe(201);
    organizationIds.push(org.body.id);
  }
});
afterAll(() => t.close());

/** Text with what breaks formats: quotes, separators, line breaks, emoji, RTL, backslashes. */
const nasty = fc
  .array(
    fc.constantFrom(
      'a',
      'Zoë',
      ' ',
      ',',
      ';',
      '"',
      "'",
      '\n',
      '\r\n',
      '\t',
      '|',
      '\\',
      ':',
      '🙂',
      '👩‍👩‍👧',
      'مرحبا',
      'שלום',
      '李',
      '=1+2',
      '^',
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(''))
  .filter((value) => value.trim().length > 0);
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const label = fc.constantFrom(undefined, 'work', 'home', 'mobile', 'Home office', 'a;b', 'x"y');
const instant = fc
  .integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) })
  .map((ms) => new Date(ms).toISOString());
const numbers = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 0.1, 1.5, 1e-7, 0.00001, 0.0001, 1e15, 1e21, 123456789012345680, 2 ** 53 + 2),
);

const personInput = fc.record({
  givenName: nasty,
  familyName: maybe(nasty),
  displayName: maybe(nasty),
  prefix: maybe(fc.constantFrom('Dr', 'Mme;', '"M"')),
  nickname: maybe(nasty),
  pronouns: maybe(fc.constantFrom('she/her', 'they, them')),
  jobTitle: maybe(nasty),
  stage: fc.constantFrom('prospect', 'customer', 'influencer', 'partner'),
  source: maybe(nasty),
  organization: fc.option(fc.nat({ max: 3 }), { nil: null }),
  primaryAddress: fc.nat({ max: 3 }),
  birthday: maybe(fc.constantFrom('1990-02-28', '2000-12-31', '1969-07-20')),
  emails: fc.uniqueArray(
    fc.record({ value: fc.constantFrom('a@example.com', 'B.C@Example.org', 'x+y@ex.io'), label }),
    { maxLength: 3, selector: (email) => email.value.toLowerCase() },
  ),
  phones: fc.uniqueArray(
    fc.record({ value: fc.constantFrom('+1 415 555 0123', '(415) 555-0199', '+44 20 7946 0958'), label }),
    { maxLength: 2, selector: (phone) => phone.value },
  ),
  addresses: fc.array(
    fc.record({
      label,
      street: nasty,
      city: maybe(nasty),
      postalCode: maybe(fc.constantFrom('75001', 'SW1A 1AA')),
      country: maybe(fc.constantFrom('FR', 'Côte, d"Ivoire')),
    }),
    { maxLength: 3 },
  ),
  websites: fc.array(fc.record({ value: fc.constantFrom('example.com', 'https://ex.org/a,b;c'), label }), {
    maxLength: 2,
  }),
  social: fc.array(fc.record({ service: fc.constantFrom('x', 'mastodon', 'my service'), handle: nasty }), {
    maxLength: 2,
  }),
  importantDates: fc.array(fc.record({ label: nasty, date: fc.constantFrom('2020-05-01', '1999-01-31') }), {
    maxLength: 2,
  }),
  tags: fc.uniqueArray(fc.constantFrom('vip', 'early adopter', 'a;b', 'x,"y"', '🙂'), { maxLength: 3 }),
  customFields: fc.record(
    {
      motto: fc.option(nasty, { nil: null }),
      size: numbers,
      since: fc.constantFrom('2021-03-04', '1999-12-31'),
      tier: fc.constantFrom('a, "b"', 'ü;x', 'plain', '🙂'),
      topics: fc.uniqueArray(fc.constantFrom('a, "b"', 'ü;x', 'plain', '🙂'), { maxLength: 4 }),
      vip: fc.boolean(),
      homepage: fc.constantFrom('https://example.com/a?b=c,d', 'example.org'),
    },
    { requiredKeys: [] },
  ),
  notes: fc.option(nasty, { nil: null }),
  lastContactedAt: fc.option(instant, { nil: null }),
  nextFollowUpAt: fc.option(instant, { nil: null }),
});

type Labelled = { label: string | undefined };
/** A label the vCard writes as a TYPE (the others make groups); phones also know "mobile". */
const standardLabel =
  (known: string[]) =>
  <Item extends Labelled>(item: Item): Item => ({
    ...item,
    label: item.label === undefined || known.includes(item.label) ? item.label : 'work',
  });

/**
 * A person whose card the database writes (personVCardText): no chosen display name, important
 * dates, social profiles or custom fields, only standard labels; the text stays nasty.
 */
const plainPersonInput = fc.tuple(personInput, fc.boolean()).map(([person, named]) => ({
  ...person,
  // Without a name the display name is the primary email or phone (the API asks for one of them).
  ...(named || person.emails.length + person.phones.length === 0
    ? {}
    : { givenName: undefined, familyName: undefined, nickname: undefined }),
  displayName: undefined,
  social: [],
  importantDates: [],
  customFields: {},
  emails: person.emails.map(standardLabel(['work', 'home'])),
  phones: person.phones.map(standardLabel(['work', 'home', 'mobile'])),
  addresses: person.addresses.map(standardLabel(['work', 'home'])),
  websites: person.websites.map(standardLabel(['work', 'home'])),
}));

async function exported(
  source: ExportSource,
  query: Record<string, unknown>,
  columns: string[] | null,
  options: ExportOptions = {},
) {
  const auth = { workspaceId: admin.workspaceId } as Parameters<typeof exportPeople>[1];
  const ctx = { deps: { db: t.database.db }, auth } as unknown as Parameters<typeof exportPeople>[0];
  let text = '';
  for await (const piece of exportPeople(
    ctx,
    auth,
    { sort: 'name', ...query } as Parameters<typeof exportPeople>[2],
    columns as Parameters<typeof exportPeople>[3],
    { ...options, source },
  ))
    text += piece;
  return text;
}

/** Every format, the chosen columns and delimiter, with the list filter given. */
async function expectSameExports(
  query: Record<string, unknown>,
  columnChoices: (string[] | null)[],
  delimiter: Delimiter = ',',
  paged = true,
) {
  for (const format of ['json', 'vcard', 'csv'] as const) {
    const reference = await exported('rows', { ...query, format }, null, { delimiter });
    expect(await exported('text', { ...query, format }, null, { delimiter }), format).toBe(reference);
    // Small pages: lines joined per page, pages holding a line written in JavaScript, cursors;
    // read one at a time, and two or three at once up to the ends found first.
    if (paged)
      for (const [readers, pageSize] of [
        [1, 2],
        [2, 2],
        [3, 1],
      ] as const)
        expect(
          await exported('text', { ...query, format }, null, { delimiter, pageSize, readers }),
          `${format}, pages of ${pageSize}, ${readers} readers`,
        ).toBe(reference);
  }
  for (const columns of columnChoices)
    if (columns !== null)
      expect(
        await exported('text', { ...query, format: 'csv' }, columns, { delimiter }),
        String(columns),
      ).toBe(await exported('rows', { ...query, format: 'csv' }, columns, { delimiter }));
}

const filters = [{}, { sort: '-createdAt' }, { tag: ['vip'] }, { stage: ['customer'] }];
const allColumns = [...personExportColumns, ...Object.keys(customFields).map((key) => `customFields.${key}`)];

describe('export text built by the database', () => {
  it('is byte for byte the former output, for random nasty people (CSV, JSON, vCard)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(personInput, plainPersonInput), { minLength: 1, maxLength: 3 }),
        fc.array(fc.constantFrom(...allColumns, 'customFields.unknown'), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(
          ...filters,
          { sort: '-name' },
          { sort: 'lastContactedAt' },
          { sort: '-lastContactedAt' },
        ),
        fc.constantFrom<Delimiter>(',', ';', '\t', '|'),
        async (people, someColumns, query, delimiter) => {
          for (const { organization, primaryAddress, ...input } of people) {
            const body = {
              ...input,
              organizationId: organization === null ? null : organizationIds[organization],
              // At most one primary; with none marked the first address is the primary one.
              addresses: input.addresses.map((address, index) => ({
                ...address,
                primary: index === primaryAddress,
              })),
            };
            const created = await admin.client.post('/api/v1/people', body);
            expect(created.status, JSON.stringify(created.body)).toBe(201);
          }
          await expectSameExports(query, [null, someColumns, [someColumns[0]!]], delimiter);
        },
      ),
      { numRuns: 30 },
    );
  }, 300_000);

  it('folds the cards the database writes at 75 octets, as the JavaScript writer does', async () => {
    // Plain ASCII and accented values around the folding width, in every property that can be long.
    const ids: string[] = [];
    for (let width = 60; width <= 80; width += 2)
      for (const unit of ['x', 'é']) {
        const text = unit.repeat(unit === 'x' ? width : width / 2);
        const created = await admin.client.post('/api/v1/people', {
          givenName: text,
          familyName: text.slice(0, 10),
          nickname: text,
          jobTitle: text,
          source: text,
          notes: text,
          tags: [text.slice(0, 30), text.slice(0, 29)],
          emails: [{ value: `${'m'.repeat(width - 12)}@example.com`, label: 'work' }],
          websites: [{ value: `https://${'w'.repeat(width - 20)}.example.com`, label: 'home' }],
          addresses: [{ street: text, city: text.slice(0, 9), label: 'home' }],
        });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        ids.push(created.body.id);
      }
    // The database wrote these cards itself (none was left to JavaScript as Person JSON).
    const cards = await t.database.db
      .selectFrom('people')
      .select(personVCardText.as('card'))
      .where('id', 'in', ids)
      .execute();
    expect(cards.map(({ card }) => card?.slice(0, 11))).toEqual(ids.map(() => 'BEGIN:VCARD'));
    for (const readers of [1, 2])
      expect(await exported('text', { format: 'vcard' }, null, { readers })).toBe(
        await exported('rows', { format: 'vcard' }, null),
      );
  }, 120_000);

  it('stays identical for stored forms JavaScript never writes, times to the microsecond, photos', async () => {
    const created = await admin.client.post('/api/v1/people', { givenName: 'Raw', tags: ['vip'] });
    const id = created.body.id as string;
    const forms = [
      '{"size": 2.50}',
      '{"size": 1e21}',
      '{"size": 0.00001}',
      '{"size": 12345678901234567890}',
      '{"size": -0.0}',
      '{"topics": ["a", 1, true, null]}',
      '{"topics": [["nested"], {"k": 1}]}',
      '{"motto": {"an": "object"}}',
      '{"topics": []}',
      '{"vip": null}',
      '{"b": [1.0, -0, 2E+2, 12345678901234567890, "x: 1, y", [], {}], "c\\"": {"d": "\\\\", "e": 0.5}}',
      '{"1": "one", "b": [1.0, -0, 2E+2, "x: 1, y"], "10": {"2": 0.5, "a\\"": "\\\\"}}',
    ];
    for (const form of forms) {
      await sql`update people set custom_fields = cast(${form} as jsonb), photo_version = 3,
        created_at = '2024-02-29 23:59:59.999999+00', last_contacted_at = '1999-12-31 23:59:59.0005+00'
        where id = ${id}`.execute(t.database.db);
      // Small pages once per form (the other filters read the same people in other orders).
      for (const query of filters)
        await expectSameExports(
          query,
          [null, ['customFields.size', 'customFields.topics', 'customFields.motto']],
          ',',
          query === filters[0],
        );
    }
    // Years JavaScript writes in another form, whole seconds, tenths.
    for (const time of [
      '0999-12-31 23:59:59.5+00',
      '12000-01-01 00:00:00+00',
      '2024-01-01 00:00:00+00',
      '2024-01-01 00:00:00.1+00',
    ]) {
      await sql`update people set custom_fields = '{}', created_at = cast(${time} as timestamptz),
        next_follow_up_at = cast(${time} as timestamptz) where id = ${id}`.execute(t.database.db);
      await expectSameExports({}, [null, ['createdAt', 'nextFollowUpAt']]);
    }
  }, 300_000);
});
