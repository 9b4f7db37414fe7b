import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  const rating = { entity: 'organization', key: 'rating', label: 'Rating', type: 'text' };
  expect((await admin.client.post('/api/v1/custom-fields', rating)).status).toBe(201);
});
afterAll(() => t.close());

async function createOrg(client: Client, body: Record<string, unknown> = {}) {
  const response = await client.post('/api/v1/organizations', { name: 'Initech', ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function walk(client: Client, query: string, limit: number) {
  const seen: { id: string; name: string }[] = [];
  let after: string | null = null;
  do {
    const cursor: string = after ? `&after=${encodeURIComponent(after)}` : '';
    const response = await client.get(`/api/v1/organizations?limit=${limit}${query}${cursor}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    seen.push(...response.body.data);
    after = response.body.next;
  } while (after);
  return seen;
}

describe('organizations', () => {
  it('creates one with normalized domains, tags and address; reads it back', async () => {
    const created = await createOrg(admin.client, {
      name: '  Société Générale  ',
      domains: ['https://www.SocGen.com/fr/', 'socgen.com', 'Société.fr'],
      industry: 'Banking',
      size: '10000+',
      address: { city: ' Paris ', country: 'FR', street: '' },
      tags: ['Bank', 'bank'],
      customFields: { rating: 'A' },
    });
    expect(created).toMatchObject({
      name: 'Société Générale',
      domains: ['socgen.com', 'société.fr'],
      industry: 'Banking',
      size: '10000+',
      address: { city: 'Paris', country: 'FR', street: null, region: null, postalCode: null },
      tags: ['bank'],
      parentId: null,
      customFields: { rating: 'A' },
      version: 1,
    });
    const read = await admin.client.get(`/api/v1/organizations/${created.id}`);
    expect(read.body).toEqual(created);
    expect(read.headers.etag).toBe('"1"');
  });

  it('answers 422 for a bad domain and 400 for a missing name', async () => {
    const bad = await admin.client.post('/api/v1/organizations', {
      name: 'X',
      domains: ['ok.com', 'not a domain'],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      { path: 'body.domains.1', message: expect.stringContaining('not a domain') },
    ]);
    const missing = await admin.client.post('/api/v1/organizations', { domains: [] });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].path).toBe('body.name');
    const blank = await admin.client.post('/api/v1/organizations', { name: '   ' });
    expect(blank.status).toBe(400);
  });

  it('links a parent of the same workspace and refuses loops and foreign parents', async () => {
    const parent = await createOrg(admin.client, { name: 'Holding' });
    const child = await createOrg(admin.client, { name: 'Subsidiary', parentId: parent.id });
    expect(child.parentId).toBe(parent.id);
    const loop = await admin.client.patch(`/api/v1/organizations/${parent.id}`, {
      version: 1,
      parentId: child.id,
    });
    expect(loop.status).toBe(422);
    expect(loop.body.errors[0].path).toBe('body.parentId');
    const self = await admin.client.patch(`/api/v1/organizations/${parent.id}`, {
      version: 1,
      parentId: parent.id,
    });
    expect(self.status).toBe(422);
    const other = await signedInUser(t, 'admin');
    const foreign = await createOrg(other.client, { name: 'Foreign' });
    const response = await admin.client.post('/api/v1/organizations', { name: 'Y', parentId: foreign.id });
    expect(response.status).toBe(422);
    const children = await walk(admin.client, `&parentId=${parent.id}`, 10);
    expect(children.map((org) => org.id)).toEqual([child.id]);
  });

  it('updates with a version; a stale one gets 409; one of two simultaneous saves wins', async () => {
    const org = await createOrg(admin.client, { name: 'Versioned' });
    const url = `/api/v1/organizations/${org.id}`;
    expect((await admin.client.patch(url, { name: 'No version' })).status).toBe(400);
    const updated = await admin.client.patch(url, { industry: 'Software' }, { 'if-match': 'W/"1"' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Versioned', industry: 'Software', version: 2 });
    const stale = await admin.client.patch(url, { version: 1, industry: 'Hardware' });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toMatch(/Someone else changed this organization/);
    const results = await Promise.all([
      admin.client.patch(url, { version: 2, name: 'A' }),
      admin.client.patch(url, { version: 2, name: 'B' }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
  });

  it('soft-deletes and restores, with audit entries; its people are detached, then re-linked', async () => {
    const org = await createOrg(admin.client, { name: 'Phoenix' });
    const person = await admin.client.post('/api/v1/people', { givenName: 'Pat', organizationId: org.id });
    const url = `/api/v1/organizations/${org.id}`;
    expect((await admin.client.delete(url)).status).toBe(204);
    expect((await admin.client.get(url)).status).toBe(404);
    expect((await walk(admin.client, '&q=Phoenix', 50)).length).toBe(0);
    const detached = await admin.client.get(`/api/v1/people/${person.body.id}`);
    expect(detached.body.organizationId).toBeNull();
    const relink = await admin.client.post('/api/v1/people', { givenName: 'Q', organizationId: org.id });
    expect(relink.status).toBe(422);
    const restored = await admin.client.post(`${url}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ name: 'Phoenix', version: 3 });
    const relinked = await admin.client.get(`/api/v1/people/${person.body.id}`);
    expect(relinked.body.organizationId).toBe(org.id);
    const actions = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', org.id)
      .orderBy('id')
      .execute();
    expect(actions.map((row) => row.action)).toEqual([
      'organization.created',
      'organization.deleted',
      'organization.restored',
    ]);
  });

  it('applies permissions: executive reads only, agent cannot delete, anonymous gets 401', async () => {
    const org = await createOrg(admin.client, { name: 'Permissioned' });
    const executive = await signedInUser(t, 'executive', admin.workspaceId);
    expect((await executive.client.get(`/api/v1/organizations/${org.id}`)).status).toBe(200);
    expect((await executive.client.post('/api/v1/organizations', { name: 'No' })).status).toBe(403);
    const agent = await signedInUser(t, 'agent', admin.workspaceId);
    expect(
      (await agent.client.patch(`/api/v1/organizations/${org.id}`, { version: 1, size: '5' })).status,
    ).toBe(200);
    expect((await agent.client.delete(`/api/v1/organizations/${org.id}`)).status).toBe(403);
    expect((await t.client().get('/api/v1/organizations')).status).toBe(401);
  });

  it('hides organizations of other workspaces (404, absent from lists)', async () => {
    const org = await createOrg(admin.client, { name: 'Private Org' });
    const other = await signedInUser(t, 'admin');
    const url = `/api/v1/organizations/${org.id}`;
    expect((await other.client.get(url)).status).toBe(404);
    expect((await other.client.patch(url, { version: 1, name: 'Mine' })).status).toBe(404);
    expect((await other.client.delete(url)).status).toBe(404);
    expect(await walk(other.client, '', 200)).toEqual([]);
  });

  it('pages through every sort without duplicates or gaps, and filters by tag and q', async () => {
    const ws = await signedInUser(t, 'admin');
    const names = ['Alpha', 'alpha', 'Beta', 'Ωmega', 'Ærø', 'Çelik', '株式会社', 'Delta', 'Echo', 'Foxtrot'];
    const created: string[] = [];
    for (const [index, name] of names.entries()) {
      const org = await createOrg(ws.client, { name, tags: index % 2 ? ['even'] : ['odd'] });
      created.push(org.id);
    }
    for (const sort of ['name', '-name', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt']) {
      const walked = await walk(ws.client, `&sort=${sort}`, 3);
      const ids = walked.map((org) => org.id);
      expect(new Set(ids).size, sort).toBe(names.length);
      expect(ids.sort(), sort).toEqual([...created].sort());
    }
    expect((await walk(ws.client, '&tag=EVEN', 2)).length).toBe(5);
    expect((await walk(ws.client, '&q=alpa', 2)).map((org) => org.name).sort()).toEqual(['Alpha', 'alpha']);
    expect((await walk(ws.client, `&q=${encodeURIComponent('株式')}`, 2)).map((org) => org.name)).toEqual([
      '株式会社',
    ]);
  });
});
