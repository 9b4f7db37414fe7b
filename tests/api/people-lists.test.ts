import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldForSearch, personSorts } from '../../src/shared/people.ts';
import { createUser, signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
interface P {
  id: string;
  displayName: string;
  stage: string;
  tags: string[];
  ownerId: string | null;
  organizationId: string | null;
  createdAt: string;
  updatedAt: string;
}
const people: P[] = [];
let ownerA: string;
let orgA: string;

const names = [
  ['Ana', 'Silva'],
  ['ana', 'silva'], // same sort key as the first: the id breaks the tie
  ['Zoë', 'Adams'],
  ['Zoe', 'Adams'],
  ['Émile', 'Zola'],
  ['小明', '王'],
  ['محمد', 'علي'],
  ['Łukasz', 'Nowak'],
  ['Bob', "O'Brien"],
  ['Charlie', 'Brown'],
  ['Jos\ufffd', 'Garc\ufffda'], // as a badly decoded import leaves it: its cursor must still work
];
const stages = ['prospect', 'customer', 'influencer', 'advocate'];

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  ownerA = (await createUser(t.database.db, admin.workspaceId, { role: 'agent' })).id;
  orgA = (await admin.client.post('/api/v1/organizations', { name: 'Org A' })).body.id;
  for (let index = 0; index < 37; index++) {
    const [given, family] = names[index % names.length]!;
    const response = await admin.client.post('/api/v1/people', {
      givenName: given,
      familyName: family,
      stage: stages[index % stages.length],
      tags: index % 3 === 0 ? ['VIP', 'press'] : index % 3 === 1 ? ['vip'] : [],
      ownerId: index % 5 === 0 ? ownerA : null,
      organizationId: index % 4 === 0 ? orgA : null,
    });
    expect(response.status).toBe(201);
    people.push(response.body);
  }
  // Touch some people so that updatedAt differs from createdAt order.
  for (const person of people.filter((_p, index) => index % 7 === 0)) {
    const updated = await admin.client.patch(`/api/v1/people/${person.id}`, { version: 1, source: 'event' });
    Object.assign(person, updated.body);
  }
});
afterAll(() => t.close());

async function all(client: Client, query: string, limit: number): Promise<P[]> {
  const seen: P[] = [];
  let after: string | null = null;
  for (let pageNo = 0; pageNo < 100; pageNo++) {
    const cursor: string = after ? `&after=${encodeURIComponent(after)}` : '';
    const response = await client.get(`/api/v1/people?limit=${limit}${query}${cursor}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data.length).toBeLessThanOrEqual(limit);
    seen.push(...response.body.data);
    after = response.body.next;
    if (!after) return seen;
    expect(response.body.data.length).toBe(limit);
  }
  throw new Error('too many pages');
}

function expectedOrder(sort: string, list: P[]): string[] {
  const desc = sort.startsWith('-');
  const field = desc ? sort.slice(1) : sort;
  const key = (person: P) =>
    field === 'name'
      ? foldForSearch(person.displayName)
      : field === 'createdAt'
        ? person.createdAt
        : person.updatedAt;
  const sorted = [...list].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const byKey = ka < kb ? -1 : ka > kb ? 1 : 0;
    return byKey !== 0 ? byKey : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return (desc ? sorted.reverse() : sorted).map((person) => person.id);
}

describe('keyset pagination', () => {
  it('continues after every single row by name, whatever the name holds', async () => {
    const walked = await all(admin.client, '&sort=name', 1);
    expect(walked.map((person) => person.id)).toEqual(expectedOrder('name', people));
  });

  it.each(personSorts)('walks every page with sort=%s: no duplicates, no gaps, in order', async (sort) => {
    const walked = await all(admin.client, `&sort=${sort}`, 4);
    const ids = walked.map((person) => person.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(people.length);
    const oneGo = await all(admin.client, `&sort=${sort}`, 200);
    expect(ids).toEqual(oneGo.map((person) => person.id));
    if (sort.endsWith('name')) expect(ids).toEqual(expectedOrder(sort, people));
    else {
      // Timestamps keep microseconds in the database; the JSON shows milliseconds, so only
      // check that the order never goes backwards at millisecond precision.
      const field = sort.replace('-', '') as 'createdAt' | 'updatedAt';
      const times = walked.map((person) => Date.parse(person[field]));
      const sorted = [...times].sort((a, b) => (sort.startsWith('-') ? b - a : a - b));
      expect(times).toEqual(sorted);
    }
  });

  it('sorts by name by default and continues correctly when rows are added between pages', async () => {
    const first = await admin.client.get('/api/v1/people?limit=10');
    expect(first.body.data.map((person: P) => person.id)).toEqual(expectedOrder('name', people).slice(0, 10));
    const added = await admin.client.post('/api/v1/people', { givenName: 'Aaron', familyName: 'Aardvark' });
    const rest = await all(admin.client, `&after=${encodeURIComponent(first.body.next)}`, 200);
    const ids = [...first.body.data, ...rest].map((person: P) => person.id);
    expect(new Set(ids).size).toBe(people.length);
    expect(ids).not.toContain(added.body.id); // it sorts before the cursor
    await admin.client.delete(`/api/v1/people/${added.body.id}`);
  });

  it('refuses a damaged cursor, a cursor of another sort, and limit over 200', async () => {
    const damaged = await admin.client.get('/api/v1/people?after=not-a-cursor');
    expect(damaged.status).toBe(400);
    expect(damaged.body.errors[0].path).toBe('query.after');
    const page = await admin.client.get('/api/v1/people?limit=2&sort=createdAt');
    const mixed = await admin.client.get(
      `/api/v1/people?sort=name&after=${encodeURIComponent(page.body.next)}`,
    );
    expect(mixed.status).toBe(400);
    expect(mixed.body.detail).toContain('sort=createdAt');
    expect((await admin.client.get('/api/v1/people?limit=201')).status).toBe(400);
    expect((await admin.client.get('/api/v1/people?sort=email')).status).toBe(400);
  });
});

describe('filters', () => {
  const ids = (list: P[]) => list.map((person) => person.id).sort();

  it('filters by one stage or several', async () => {
    const customers = await all(admin.client, '&stage=customer', 3);
    expect(ids(customers)).toEqual(ids(people.filter((person) => person.stage === 'customer')));
    const two = await all(admin.client, '&stage=customer&stage=advocate', 5);
    expect(ids(two)).toEqual(ids(people.filter((person) => ['customer', 'advocate'].includes(person.stage))));
  });

  it('filters by tag (case-insensitive; several tags must all be present)', async () => {
    const vip = await all(admin.client, '&tag=VIP', 5);
    expect(ids(vip)).toEqual(ids(people.filter((person) => person.tags.includes('vip'))));
    const both = await all(admin.client, '&tag=vip&tag=press&sort=-createdAt', 2);
    expect(ids(both)).toEqual(ids(people.filter((person) => person.tags.includes('press'))));
  });

  it('filters by owner and by organization, combined with other filters', async () => {
    const owned = await all(admin.client, `&ownerId=${ownerA}`, 3);
    expect(ids(owned)).toEqual(ids(people.filter((person) => person.ownerId === ownerA)));
    const inOrg = await all(admin.client, `&organizationId=${orgA}&sort=-updatedAt`, 3);
    expect(ids(inOrg)).toEqual(ids(people.filter((person) => person.organizationId === orgA)));
    const combined = await all(admin.client, `&organizationId=${orgA}&tag=press&stage=prospect`, 2);
    expect(ids(combined)).toEqual(
      ids(
        people.filter(
          (person) =>
            person.organizationId === orgA && person.tags.includes('press') && person.stage === 'prospect',
        ),
      ),
    );
    const bad = await admin.client.get('/api/v1/people?ownerId=nope');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('query.ownerId');
  });

  it('filters by q (accents ignored, typos tolerated) keeping the chosen sort', async () => {
    const zoe = await all(admin.client, '&q=zoe', 2);
    expect(ids(zoe)).toEqual(
      ids(people.filter((person) => foldForSearch(person.displayName) === 'zoe adams')),
    );
    const typo = await all(admin.client, '&q=Emile%20Zolla&sort=-createdAt', 2);
    expect(typo.length).toBe(people.filter((person) => person.displayName === 'Émile Zola').length);
    const cjk = await all(admin.client, `&q=${encodeURIComponent('小明')}`, 50);
    expect(cjk.every((person) => person.displayName === '王小明')).toBe(true);
    expect(cjk.length).toBeGreaterThan(0);
  });
});

describe('q: exact matches first, similar names only when nobody matches exactly', () => {
  const idsOf = (list: { id: string }[]) => list.map((person) => person.id);

  it('lists who contains the query, else the similar names, on every page, in the list and its export', async () => {
    const org = (await admin.client.post('/api/v1/organizations', { name: 'Quigley Fabrics' })).body;
    const created: Record<string, string> = {};
    for (const [key, givenName, familyName] of [
      ['quigley', 'Rosalind', 'Quigley'],
      ['quigleyson', 'Ros', 'Quigleyson'],
      ['quigly', 'Rosalind', 'Quigly'],
    ] as const) {
      const response = await admin.client.post('/api/v1/people', { givenName, familyName });
      expect(response.status).toBe(201);
      created[key] = response.body.id;
    }
    // Someone contains "quigley": the similar "Quigly" is left out (it was listed before).
    const exact = await all(admin.client, '&q=Quigley', 1);
    expect(idsOf(exact).sort()).toEqual([created.quigley, created.quigleyson].sort());
    // Nobody contains "quiglee": the similar names, every page of them forgiving.
    const forgiving = await all(admin.client, '&q=Quiglee', 1);
    expect(idsOf(forgiving)).toEqual(expect.arrayContaining([created.quigley, created.quigly]));
    const exported = await admin.client.get('/api/v1/people/export?format=json&q=Quiglee');
    expect(exported.status).toBe(200);
    expect(idsOf(exported.body)).toEqual(idsOf(forgiving));
    const exportedExact = await admin.client.get('/api/v1/people/export?format=json&q=Quigley');
    expect(idsOf(exportedExact.body)).toEqual(idsOf(exact));
    // The other filters count: in an organization with only "Quigly", "Quigley" finds Quigly.
    const mills = (await admin.client.post('/api/v1/organizations', { name: 'Quigly Mills' })).body;
    const millsQuigly = await admin.client.patch(`/api/v1/people/${created.quigly}`, {
      version: 1,
      organizationId: mills.id,
    });
    expect(millsQuigly.status).toBe(200);
    expect(idsOf(await all(admin.client, `&q=Quigley&organizationId=${mills.id}`, 1))).toEqual([
      created.quigly,
    ]);
    // Forgiving uses the list's thresholds (similarity 0.25; "Jonh Smiht" is 0.29 like "John
    // Smith", under pg_trgm's default of 0.3), in the list and on every page of its export.
    const john = await admin.client.post('/api/v1/people', { givenName: 'John', familyName: 'Smith' });
    const typo = await all(admin.client, `&q=${encodeURIComponent('Jonh Smiht')}`, 1);
    expect(idsOf(typo)).toContain(john.body.id);
    const exportedTypo = await admin.client.get(
      `/api/v1/people/export?format=json&q=${encodeURIComponent('Jonh Smiht')}`,
    );
    expect(idsOf(exportedTypo.body)).toEqual(idsOf(typo));
    // Another workspace's people never decide the match: someone there contains "quiglyx",
    // nobody here does, so this list is forgiving and finds Quigly.
    const other = await signedInUser(t, 'admin');
    expect(
      (await other.client.post('/api/v1/people', { givenName: 'Ann', familyName: 'Quiglyx' })).status,
    ).toBe(201);
    expect(idsOf(await all(admin.client, '&q=Quiglyx', 50))).toContain(created.quigly);
    expect(idsOf(await all(other.client, '&q=Quiglyx', 50))).toHaveLength(1);
    // Organizations' list likewise.
    await admin.client.post('/api/v1/organizations', { name: 'Quigly Textiles' });
    const orgs = await admin.client.get('/api/v1/organizations?q=Quigley');
    expect(orgs.body.data.map((row: { id: string }) => row.id)).toEqual([org.id]);
    const similarOrgs = await admin.client.get('/api/v1/organizations?q=Quiglee');
    expect(similarOrgs.body.data.map((row: { name: string }) => row.name).sort()).toEqual([
      'Quigley Fabrics',
      'Quigly Mills',
      'Quigly Textiles',
    ]);
  });
});
