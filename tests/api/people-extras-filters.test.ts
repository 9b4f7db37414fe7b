import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  const define = (body: Record<string, unknown>) =>
    admin.client.post('/api/v1/custom-fields', { entity: 'person', label: String(body.key), ...body });
  await define({ key: 'size', type: 'number' });
  await define({ key: 'vip', type: 'checkbox' });
  await define({ key: 'tier', type: 'select', options: ['gold', 'silver'] });
  await define({ key: 'interests', type: 'multiselect', options: ['golf', 'jazz', 'wine'] });
  const people: [string, Record<string, unknown>][] = [
    [
      'ana',
      {
        emails: [{ value: 'ana@example.com' }],
        lastContactedAt: '2024-03-01T10:00:00Z',
        customFields: { size: 38, vip: true, tier: 'gold', interests: ['golf', 'jazz'] },
      },
    ],
    [
      'ben',
      {
        phones: [{ value: '+14155550123' }],
        lastContactedAt: '2024-01-15T10:00:00Z',
        customFields: { size: 42, tier: 'silver', interests: ['jazz'] },
      },
    ],
    [
      'cat',
      {
        emails: [{ value: 'cat@example.com' }],
        phones: [{ value: '+14155550124' }],
        customFields: { vip: false },
      },
    ],
    ['dan', { lastContactedAt: '2023-06-01T10:00:00Z' }],
    ['eve', {}],
  ];
  for (const [name, body] of people) {
    const response = await admin.client.post('/api/v1/people', { givenName: name, ...body });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    ids[name] = response.body.id;
  }
});
afterAll(() => t.close());

async function namesOf(client: Client, query: string) {
  const response = await client.get(`/api/v1/people?${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data.map((person: { givenName: string }) => person.givenName);
}

describe('people list filters', () => {
  it('filters by having an email or a phone', async () => {
    expect(await namesOf(admin.client, 'hasEmail=true')).toEqual(['ana', 'cat']);
    expect(await namesOf(admin.client, 'hasEmail=false')).toEqual(['ben', 'dan', 'eve']);
    expect(await namesOf(admin.client, 'hasPhone=true')).toEqual(['ben', 'cat']);
    expect(await namesOf(admin.client, 'hasPhone=false&hasEmail=false')).toEqual(['dan', 'eve']);
  });

  it('filters by last contact; "before" includes people never contacted', async () => {
    expect(await namesOf(admin.client, 'lastContactedAfter=2024-01-01T00:00:00Z')).toEqual(['ana', 'ben']);
    expect(await namesOf(admin.client, 'lastContactedBefore=2024-02-01T00:00:00Z')).toEqual([
      'ben',
      'cat',
      'dan',
      'eve',
    ]);
    expect(
      await namesOf(
        admin.client,
        'lastContactedAfter=2024-01-01T00:00:00Z&lastContactedBefore=2024-02-01T00:00:00Z',
      ),
    ).toEqual(['ben']);
  });

  it('sorts by last contact (never contacted first), paging through without gaps', async () => {
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const url: string = `/api/v1/people?sort=lastContactedAt&limit=2${next ? `&after=${next}` : ''}`;
      const response = await admin.client.get(url);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      seen.push(...response.body.data.map((person: { givenName: string }) => person.givenName));
      next = response.body.next;
    } while (next);
    expect(seen.slice(0, 2).sort()).toEqual(['cat', 'eve']);
    expect(seen.slice(2)).toEqual(['dan', 'ben', 'ana']);
    const descending = await namesOf(admin.client, 'sort=-lastContactedAt&limit=3');
    expect(descending).toEqual(['ana', 'ben', 'dan']);
    const mixed = await admin.client.get('/api/v1/people?sort=name&limit=1');
    const wrongSort = await admin.client.get(`/api/v1/people?sort=lastContactedAt&after=${mixed.body.next}`);
    expect(wrongSort.status).toBe(400);
  });

  it('filters by custom fields by their type; every filter must match; multi-select means contains', async () => {
    expect(await namesOf(admin.client, 'customField=size:42')).toEqual(['ben']);
    expect(await namesOf(admin.client, 'customField=vip:true')).toEqual(['ana']);
    expect(await namesOf(admin.client, 'customField=vip:false')).toEqual(['cat']);
    expect(await namesOf(admin.client, 'customField=tier:gold')).toEqual(['ana']);
    expect(await namesOf(admin.client, 'customField=interests:jazz')).toEqual(['ana', 'ben']);
    expect(await namesOf(admin.client, 'customField=interests:jazz&customField=tier:silver')).toEqual([
      'ben',
    ]);
    expect(await namesOf(admin.client, 'customField=interests:wine')).toEqual([]);
  });

  it('refuses bad filters with the parameter to fix', async () => {
    const unknown = await admin.client.get('/api/v1/people?customField=shoe:42');
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]).toMatchObject({ path: 'query.customField' });
    expect(unknown.body.detail).toContain('shoe');
    const number = await admin.client.get('/api/v1/people?customField=size:big');
    expect(number.status).toBe(422);
    const shape = await admin.client.get('/api/v1/people?customField=size');
    expect(shape.status).toBe(400);
    expect(shape.body.errors[0].path).toContain('query.customField');
    const bool = await admin.client.get('/api/v1/people?hasEmail=yes');
    expect(bool.status).toBe(400);
    expect(bool.body.errors[0].path).toBe('query.hasEmail');
    const date = await admin.client.get('/api/v1/people?lastContactedBefore=yesterday');
    expect(date.status).toBe(400);
  });

  it('never shows another workspace’s people, and refuses its custom field keys', async () => {
    const other = await signedInUser(t, 'admin');
    expect(await namesOf(other.client, 'hasEmail=true')).toEqual([]);
    expect((await other.client.get('/api/v1/people?customField=size:42')).status).toBe(422);
  });
});
