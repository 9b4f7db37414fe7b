import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, seedDemo } from '../../src/cli/seed.ts';
import { foldForSearch } from '../../src/shared/people.ts';
import { createWorkspace, signedInUser, signIn } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { openTestDatabase } from '../support/test-database.ts';

let testApp: TestApp;
let firstMessage: string;

beforeAll(async () => {
  testApp = await createTestApp();
  firstMessage = await seedDemo(testApp.database.db);
}, 120_000);
afterAll(() => testApp.close());

const count = async (table: string) => {
  const result = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
    testApp.database.db,
  );
  return result.rows[0]!.n;
};

describe('rapport seed --demo', () => {
  it('creates the Demo Company with its staff and a Rolodex', async () => {
    expect(firstMessage).toMatch(
      /Created "Demo Company" with 5 staff users and 300 people, 40 organizations/,
    );
    expect(await count('workspaces')).toBe(1);
    expect(await count('users')).toBe(5);
    expect(await count('people')).toBe(300);
    expect(await count('organizations')).toBe(40);
    expect(await count('interactions')).toBeGreaterThan(200);
    expect(await count('relationships')).toBeGreaterThan(30);
  });

  it('is idempotent: a second run adds nothing', async () => {
    const tables = ['people', 'organizations', 'interactions', 'relationships', 'audit_log'];
    const before = await Promise.all(tables.map(count));
    const message = await seedDemo(testApp.database.db);
    expect(message).toMatch(/already has its demo data; nothing was added/);
    expect(await Promise.all(tables.map(count))).toEqual(before);
  });

  it('writes people through the API normalization: names in several scripts, E.164 phones, search columns', async () => {
    const people = await testApp.database.db
      .selectFrom('people')
      .select([
        'display_name',
        'given_name',
        'family_name',
        'search_name',
        'phones',
        'email_keys',
        'stage',
        'tags',
      ])
      .execute();
    for (const person of people) {
      expect(person.search_name).toBe(foldForSearch(person.display_name));
      for (const phone of person.phones as { e164: string }[]) expect(phone.e164).toMatch(/^\+\d{8,15}$/);
      expect(person.email_keys.every((email) => email === email.toLowerCase())).toBe(true);
    }
    const names = people.map((person) => person.display_name).join(' ');
    expect(names).toMatch(/\p{Script=Han}/u);
    expect(names).toMatch(/\p{Script=Arabic}/u);
    expect(names).toMatch(/\p{Script=Hebrew}/u);
    expect(names).toMatch(/\p{Script=Cyrillic}/u);
    expect(names).toMatch(/\p{Script=Greek}/u);
    expect(names).toMatch(/[éüñçøłë]/);
    // Chinese, Japanese and Korean names show the family name first.
    const cjk = people.find((person) => /\p{Script=Han}/u.test(person.family_name ?? ''))!;
    expect(cjk.display_name).toBe(`${cjk.family_name}${cjk.given_name}`);
    const stages = new Set(people.map((person) => person.stage));
    for (const stage of ['prospect', 'customer', 'influencer', 'advocate'])
      expect(stages.has(stage as never)).toBe(true);
    expect(people.filter((person) => person.tags.length > 0).length).toBeGreaterThan(100);
  });

  it('keeps "last contacted" equal to the newest interaction, and leaves some people gone quiet', async () => {
    const mismatches = await sql<{ n: number }>`
      select count(*)::int as n from people p
      where p.last_contacted_at is distinct from
        (select max(ip.occurred_at) from interaction_people ip where ip.person_id = p.id)`.execute(
      testApp.database.db,
    );
    expect(mismatches.rows[0]!.n).toBe(0);
    const quiet = await sql<{ n: number }>`
      select count(*)::int as n from people where last_contacted_at < now() - interval '90 days'`.execute(
      testApp.database.db,
    );
    expect(quiet.rows[0]!.n).toBeGreaterThan(10);
  });

  it('audits every organization and person it creates', async () => {
    const audited = await sql<{ entity: string; n: number }>`
      select entity, count(*)::int as n from audit_log where action like '%.created' group by entity`.execute(
      testApp.database.db,
    );
    const byEntity = Object.fromEntries(audited.rows.map((row) => [row.entity, row.n]));
    expect(byEntity).toMatchObject({ person: 300, organization: 40, workspace: 1, user: 5 });
  });

  it('signs in with the demo password and finds a person by a misspelt name', async () => {
    const client = testApp.client();
    await signIn(client, 'agent@demo.rapport.test', demoPassword);
    const page = await client.get('/api/v1/people?limit=5&stage=influencer');
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(5);
    const person = await testApp.database.db
      .selectFrom('people')
      .select(['id', 'given_name', 'family_name'])
      .where('given_name', '=', 'Olivia')
      .executeTakeFirstOrThrow();
    const misspelt = `Olviia ${person.family_name}`;
    const found = await client.get(`/api/v1/search?q=${encodeURIComponent(misspelt)}`);
    expect(found.status).toBe(200);
    expect(found.body.data.map((result: { id: string }) => result.id)).toContain(person.id);
  });

  it('another workspace cannot see the demo people', async () => {
    const { client } = await signedInUser(testApp, 'admin');
    const page = await client.get('/api/v1/people?limit=200');
    expect(page.status).toBe(200);
    expect(page.body.data).toEqual([]);
  });
});

describe('rapport seed --demo on a database that has another workspace', () => {
  it('adds nothing', async () => {
    const database = await openTestDatabase();
    try {
      await createWorkspace(database.db, 'Real Company');
      const message = await seedDemo(database.db);
      expect(message).toMatch(/already has a workspace/);
      const people = await database.db.selectFrom('people').select('id').execute();
      expect(people).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
