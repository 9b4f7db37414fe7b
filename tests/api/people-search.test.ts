import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
const ids: Record<string, string> = {};

interface Result {
  type: 'person' | 'organization';
  id: string;
  title: string;
  subtitle: string | null;
  score: number;
}

async function search(q: string, client = admin.client): Promise<Result[]> {
  const response = await client.get(`/api/v1/search?q=${encodeURIComponent(q)}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  const org = await admin.client.post('/api/v1/organizations', {
    name: 'Globex Corporation',
    domains: ['globex.com'],
    tags: ['Partner'],
  });
  ids.globex = org.body.id;
  const people = {
    john: {
      givenName: 'John',
      familyName: 'Smith',
      jobTitle: 'CTO',
      organizationId: ids.globex,
      emails: [{ value: 'John.Smith@Globex.com' }],
    },
    jon: { givenName: 'Jonathan', familyName: 'Smithers' },
    zoe: { givenName: 'Zoë', familyName: 'Quinn', tags: ['speaker'] },
    wang: { givenName: '小明', familyName: '王' },
    mohammed: { givenName: 'محمد', familyName: 'الفاسي' },
    phone: { givenName: 'Paula', familyName: 'Phone', phones: [{ value: '+1 (415) 555-0199' }] },
    london: { givenName: 'Lena', familyName: 'London', phones: [{ value: '+44 20 7946 0958' }] },
    notes: { givenName: 'Nora', familyName: 'Notes', notes: 'Met at the **harbour** festival.' },
  };
  for (const [key, body] of Object.entries(people)) {
    const response = await admin.client.post('/api/v1/people', body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    ids[key] = response.body.id;
  }
});
afterAll(() => t.close());

describe('search', () => {
  it('finds a person by an exact name first, with title and subtitle', async () => {
    const results = await search('John Smith');
    expect(results[0]).toMatchObject({
      type: 'person',
      id: ids.john,
      title: 'John Smith',
      subtitle: 'CTO · Globex Corporation',
      score: 1,
    });
  });

  it('tolerates typos (trigram similarity)', async () => {
    expect((await search('Jonh Smiht')).map((result) => result.id)).toContain(ids.john);
    expect((await search('Smitth')).map((result) => result.id)).toContain(ids.john);
    expect((await search('Globx Corporation'))[0]).toMatchObject({ type: 'organization', id: ids.globex });
  });

  it('finds by any part of a name, ranked by score', async () => {
    const results = await search('smith');
    const found = results.map((result) => result.id);
    expect(found).toEqual(expect.arrayContaining([ids.john, ids.jon]));
    const scores = results.map((result) => result.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('finds Unicode names: accents optional, CJK, Arabic', async () => {
    expect((await search('Zoë'))[0]?.id).toBe(ids.zoe);
    expect((await search('zoe quinn'))[0]?.id).toBe(ids.zoe);
    expect((await search('王小明'))[0]?.id).toBe(ids.wang);
    expect((await search('小明'))[0]?.id).toBe(ids.wang);
    expect((await search('محمد'))[0]?.id).toBe(ids.mohammed);
  });

  it('finds by email, case-insensitively, and by domain', async () => {
    expect((await search('john.smith@globex.com'))[0]).toMatchObject({ id: ids.john, score: 1 });
    expect((await search('JOHN.SMITH@GLOBEX.COM'))[0]?.id).toBe(ids.john);
    expect((await search('globex.com'))[0]).toMatchObject({ type: 'organization', id: ids.globex, score: 1 });
  });

  it('finds a phone written in any format by its digits', async () => {
    for (const q of ['4155550199', '(415) 555-0199', '415.555.0199', '+1 415 555 0199', '555-0199']) {
      expect(
        (await search(q)).map((result) => result.id),
        q,
      ).toContain(ids.phone);
    }
    for (const q of ['001 415 555 0199']) {
      expect(
        (await search(q)).map((result) => result.id),
        q,
      ).toContain(ids.phone);
    }
    for (const q of [
      '020 7946 0958',
      '+44 20 7946 0958',
      '2079460958',
      '0044 20 7946 0958',
      '+44 (0)20 7946 0958',
    ]) {
      expect(
        (await search(q)).map((result) => result.id),
        q,
      ).toContain(ids.london);
    }
  });

  it('finds the people of an organization found by name, below the organization', async () => {
    const results = await search('Globex');
    expect(results[0]).toMatchObject({ type: 'organization', id: ids.globex });
    expect(results.find((result) => result.id === ids.john)).toMatchObject({
      type: 'person',
      subtitle: 'CTO · Globex Corporation',
    });
    expect(results.filter((result) => result.id === ids.john)).toHaveLength(1);
  });

  it('finds by tag and by words of the notes', async () => {
    expect((await search('speaker'))[0]).toMatchObject({ id: ids.zoe, score: 0.8 });
    expect((await search('partner'))[0]).toMatchObject({ id: ids.globex });
    expect((await search('harbour')).map((result) => result.id)).toContain(ids.notes);
  });

  it('treats LIKE wildcards literally and finds nothing for nonsense', async () => {
    expect(await search('%')).toEqual([]);
    expect(await search('_')).toEqual([]);
    expect(await search('qqqxxzz')).toEqual([]);
  });

  it('needs q and caps limit', async () => {
    expect((await admin.client.get('/api/v1/search')).status).toBe(400);
    expect((await admin.client.get('/api/v1/search?q=')).status).toBe(400);
    expect((await admin.client.get('/api/v1/search?q=a&limit=51')).status).toBe(400);
    const one = await admin.client.get('/api/v1/search?q=smith&limit=1');
    expect(one.body.data).toHaveLength(1);
  });

  it('never shows another workspace, nor deleted people or organizations', async () => {
    const other = await signedInUser(t, 'admin');
    expect(await search('John Smith', other.client)).toEqual([]);
    expect(await search('globex', other.client)).toEqual([]);
    const temp = await admin.client.post('/api/v1/people', { givenName: 'Temporary', familyName: 'Tess' });
    expect((await search('Temporary Tess'))[0]?.id).toBe(temp.body.id);
    await admin.client.delete(`/api/v1/people/${temp.body.id}`);
    expect(await search('Temporary Tess')).toEqual([]);
    const org = await admin.client.post('/api/v1/organizations', { name: 'Vanishing Ventures' });
    await admin.client.delete(`/api/v1/organizations/${org.body.id}`);
    expect(await search('Vanishing Ventures')).toEqual([]);
  });

  it('is allowed to every role, and needs sign-in', async () => {
    const executive = await signedInUser(t, 'executive', admin.workspaceId);
    expect((await search('John', executive.client))[0]?.id).toBe(ids.john);
    expect((await t.client().get('/api/v1/search?q=john')).status).toBe(401);
  });
});
