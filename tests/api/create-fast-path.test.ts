import fc from 'fast-check';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeItemsWithOutput } from '../../src/features/items/create-batch.ts';
import { toItems } from '../../src/features/items/output.ts';
import { type NewPerson, writePeople } from '../../src/features/people/create-batch.ts';
import { findPerson, personOutput } from '../../src/features/people/queries.ts';
import { combine } from '../../src/platform/db/write-set.ts';
import { createItemInput } from '../../src/shared/listening.ts';
import { createPersonInput } from '../../src/shared/people.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/*
 * The creates build their API output (and the audit entry's `after`) from what they wrote instead
 * of reading the rows back, and send their writes as one statement of CTEs. These properties
 * prove the outputs equal what a read of the stored rows gives, for random inputs.
 */

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let organizationId: string;
let categoryId: string;
const personIds: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  const organization = await admin.client.post('/api/v1/organizations', { name: 'Acme' });
  organizationId = organization.body.id;
  for (const [key, type] of [
    ['size', 'number'],
    ['vip', 'checkbox'],
    ['motto', 'text'],
  ] as const) {
    const field = await admin.client.post('/api/v1/custom-fields', {
      entity: 'person',
      key,
      label: key,
      type,
    });
    expect(field.status).toBe(201);
  }
  const category = await admin.client.post('/api/v1/item-categories', {
    name: 'Car',
    observationTemplate: [
      { key: 'flavour', label: 'Flavour', type: 'choice', choices: ['vanilla', 'mint'] },
      { key: 'minutes', label: 'Minutes', type: 'number' },
    ],
  });
  categoryId = category.body.id;
  for (const name of ['Ada Lovelace', 'Ω Ünïcødé 李']) {
    const person = await admin.client.post('/api/v1/people', {
      displayName: name,
      emails: [{ value: `${personIds.length}@example.com` }],
    });
    personIds.push(person.body.id);
  }
});
afterAll(() => t.close());

const text = fc
  .string({ unit: 'grapheme', maxLength: 12 })
  .map((value) => value.split(String.fromCharCode(0)).join(''));
/** Addresses the API's email check accepts, in mixed case (matching lower-cases them). */
const email = fc.stringMatching(/^[a-zA-Z][a-z0-9]{0,7}(\.[a-z]{1,4})?@[a-z]{1,8}\.(com|org|fr)$/);
const isoDay = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));
/** ISO times with 0–9 fractional digits and an offset: the database keeps microseconds. */
const isoTime = fc
  .tuple(
    fc.date({
      min: new Date('1950-01-01T00:00:00Z'),
      max: new Date('2090-01-01T00:00:00Z'),
      noInvalidDate: true,
    }),
    fc.nat({ max: 9 }),
    fc.stringMatching(/^[0-9]{9}$/),
    fc.constantFrom('Z', '+02:00', '-05:30'),
  )
  .map(([date, digits, fraction, offset]) => {
    const base = date.toISOString().slice(0, 19);
    return `${base}${digits > 0 ? `.${fraction.slice(0, digits)}` : ''}${offset}`;
  });

const personInput = fc.record(
  {
    givenName: text.map((value) => `N${value}`),
    familyName: fc.option(text),
    nickname: fc.option(text),
    jobTitle: text,
    stage: fc.constantFrom('prospect', 'customer', 'influencer'),
    ownerId: fc.constantFrom('owner', null),
    organizationId: fc.constantFrom('organization', null),
    birthday: fc.option(isoDay),
    emails: fc.array(
      fc.record({
        value: email,
        label: fc.option(fc.constantFrom('work', 'home')),
        primary: fc.boolean(),
      }),
      { maxLength: 2 },
    ),
    phones: fc.array(
      fc.record({ value: fc.constantFrom('+44 20 7946 0958', '(202) 555-0143', '+33 1 42 68 53 00') }),
      { maxLength: 2 },
    ),
    importantDates: fc.array(fc.record({ label: fc.constantFrom('Anniversary', 'Met'), date: isoDay }), {
      maxLength: 2,
    }),
    tags: fc.array(fc.constantFrom('vip', 'Golf', 'école'), { maxLength: 3 }),
    customFields: fc.record(
      {
        size: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
        vip: fc.boolean(),
        motto: text,
      },
      { requiredKeys: [] },
    ),
    notes: fc.option(fc.string({ maxLength: 40 })),
    lastContactedAt: fc.option(isoTime),
    nextFollowUpAt: fc.option(isoTime),
  },
  { requiredKeys: ['givenName'] },
);

describe('people: the output built from what was written', () => {
  it('equals the stored row read back, and is the audit entry', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(personInput, { minLength: 1, maxLength: 6 }), async (raws) => {
        const people: NewPerson[] = raws.map((raw, index) => ({
          workspaceId: admin.workspaceId,
          userId: admin.user.id,
          audit: {
            actor: { type: 'user', id: admin.user.id, userId: admin.user.id },
            workspaceId: admin.workspaceId,
            requestId: `fast-path-${index}`,
          },
          input: createPersonInput.parse({
            ...raw,
            ownerId: raw.ownerId === 'owner' ? admin.user.id : raw.ownerId,
            organizationId: raw.organizationId === 'organization' ? organizationId : raw.organizationId,
          }),
        }));
        const results = await t.database.db.transaction().execute((tx) => writePeople(tx, people));
        for (const [index, result] of results.entries()) {
          // Two primary emails, a duplicate…: that input's own 422, the others are written.
          if (!result.ok) {
            expect((result.error as { status?: number }).status).toBe(422);
            continue;
          }
          const stored = await findPerson(t.database.db, admin.workspaceId, result.value.id);
          expect(result.value).toEqual(personOutput(stored!));
          const entry = await t.database.db
            .selectFrom('audit_log')
            .select(['after', 'request_id', 'action'])
            .where('entity_id', '=', result.value.id)
            .executeTakeFirstOrThrow();
          expect(entry).toEqual({
            after: JSON.parse(JSON.stringify(result.value)),
            request_id: `fast-path-${index}`,
            action: 'person.created',
          });
        }
      }),
      { numRuns: 40 },
    );
  });
});

const observation = fc.oneof(
  fc.record({ key: fc.constant('flavour'), value: fc.constantFrom('vanilla', 'mint') }),
  fc.record({ key: fc.constant('minutes'), value: fc.integer({ min: -5, max: 500 }) }),
  fc.record({
    key: fc.constantFrom('weather', 'store'),
    value: fc.oneof(
      fc.boolean(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom('sunny', 'Ünï'),
    ),
  }),
);
const itemInput = fc.record(
  {
    kind: fc.constantFrom('complaint', 'praise', 'request'),
    subject: fc.constantFrom('It broke', 'Merci ♥'),
    customer: fc.oneof(
      fc.constantFrom('person-0', 'person-1'),
      email.map((address) => `email:${address}`),
      fc.constant('none'),
    ),
    categorized: fc.boolean(),
    observations: fc.array(observation, { maxLength: 4 }),
    tags: fc.array(fc.constantFrom('vip', 'vip', 'x'), { maxLength: 3 }),
    acknowledge: fc.boolean(),
  },
  { requiredKeys: ['kind', 'subject', 'customer', 'categorized', 'observations'] },
);

describe('items: the output built from what was written', () => {
  it('equals toItems over the stored rows (name, observations, SLA, status)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(itemInput, { minLength: 1, maxLength: 6 }), async (raws) => {
        const records = raws.map(({ customer, categorized, ...raw }, index) => ({
          workspaceId: admin.workspaceId,
          actor: { type: 'user' as const, id: admin.user.id, userId: admin.user.id },
          requestId: `item-fast-path-${index}`,
          now: new Date(),
          input: createItemInput.parse({
            ...raw,
            ...(customer.startsWith('person-') ? { personId: personIds[Number(customer.slice(7))] } : {}),
            ...(customer.startsWith('email:') ? { reporterEmail: customer.slice(6) } : {}),
            ...(categorized ? { categoryId } : {}),
          }),
        }));
        const results = await t.database.db
          .transaction()
          .execute((tx) => writeItemsWithOutput(tx, t.deps, records));
        for (const result of results) {
          // An observation outside the category's choices is refused: that input's own 422.
          if (!result.ok) {
            expect((result.error as { status?: number }).status).toBe(422);
            continue;
          }
          const row = await t.database.db
            .selectFrom('items')
            .selectAll()
            .where('id', '=', result.value.id)
            .executeTakeFirstOrThrow();
          const [readBack] = await toItems(t.database.db, admin.workspaceId, [row]);
          expect(result.value).toEqual(readBack);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('WriteSet.combine', () => {
  it('renumbers the placeholders of the joined statements and keeps every parameter in order', async () => {
    const queries = [
      CompiledQuery.raw('insert into batch_a (x, y) values ($1, $2)', [1, [2, 3]]),
      CompiledQuery.raw('insert into batch_a (x, y) values ($1, $2), ($3, $1)', ['a', 'b', 'c']),
    ];
    const [statement, ...rest] = combine(queries);
    expect(rest).toEqual([]);
    expect(statement!.sql).toBe(
      'with w0 as (insert into batch_a (x, y) values ($1, $2)), w1 as (insert into batch_a (x, y) values ($3, $4), ($5, $3)) select 1',
    );
    expect(statement!.parameters).toEqual([1, [2, 3], 'a', 'b', 'c']);
    // A literal that looks like a placeholder keeps its statement apart.
    const literal = CompiledQuery.raw("insert into batch_a (x) values ('$1')", []);
    expect(combine([...queries, literal]).at(-1)).toBe(literal);
  });

  it('writes rows of several tables in one statement, foreign keys between them included', async () => {
    await sql`create table fast_parent (id int primary key)`.execute(t.database.db);
    await sql`create table fast_child (id int primary key, parent int not null references fast_parent (id))`.execute(
      t.database.db,
    );
    const [statement] = combine([
      t.database.db
        .insertInto('fast_child' as never)
        .values({ id: 1, parent: 7 } as never)
        .compile(),
      t.database.db
        .insertInto('fast_parent' as never)
        .values({ id: 7 } as never)
        .compile(),
    ]);
    await t.database.db.executeQuery(statement!);
    const rows = await sql<{ id: number }>`select id from fast_child`.execute(t.database.db);
    expect(rows.rows).toEqual([{ id: 1 }]);
  });
});
