import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let outsider: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  outsider = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

async function person(client: Client, givenName: string, extra: Record<string, unknown> = {}) {
  const response = await client.post('/api/v1/people', { givenName, ...extra });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id as string;
}

async function organization(client: Client, name: string) {
  const response = await client.post('/api/v1/organizations', { name });
  expect(response.status).toBe(201);
  return response.body.id as string;
}

const p = (id: string) => ({ type: 'person', id });
const o = (id: string) => ({ type: 'organization', id });

async function link(client: Client, from: string, type: string, to: string) {
  const response = await client.post('/api/v1/relationships', { from: p(from), to: p(to), type });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

describe('relationships', () => {
  it('links two parties and lists the links of a party in both directions', async () => {
    const ana = await person(admin.client, 'Ana');
    const ben = await person(admin.client, 'Ben');
    const acme = await organization(admin.client, 'Acme');
    const created = await admin.client.post('/api/v1/relationships', {
      from: p(ana),
      to: o(acme),
      type: 'works_at',
      note: ' Head of purchasing ',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'works_at',
      label: 'works at',
      inverseLabel: 'employs',
      from: { type: 'person', id: ana, name: 'Ana' },
      to: { type: 'organization', id: acme, name: 'Acme' },
      note: 'Head of purchasing',
      createdBy: admin.user.id,
    });
    const influences = await link(admin.client, ben, 'influences', ana);

    const ofAna = await admin.client.get(`/api/v1/relationships?personId=${ana}`);
    expect(ofAna.status).toBe(200);
    expect(ofAna.body.data.map((r: { id: string }) => r.id)).toEqual([influences.id, created.body.id]);
    const ofAcme = await admin.client.get(`/api/v1/relationships?organizationId=${acme}`);
    expect(ofAcme.body.data.map((r: { id: string }) => r.id)).toEqual([created.body.id]);
    const ofBen = await admin.client.get(`/api/v1/relationships?personId=${ben}&type=works_at`);
    expect(ofBen.body.data).toEqual([]);
    const paged = await admin.client.get(`/api/v1/relationships?personId=${ana}&limit=1`);
    expect(paged.body.data).toHaveLength(1);
    const rest = await admin.client.get(
      `/api/v1/relationships?personId=${ana}&limit=1&after=${paged.body.next}`,
    );
    expect(rest.body.data.map((r: { id: string }) => r.id)).toEqual([created.body.id]);
    expect(rest.body.next).toBeNull();

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', created.body.id)
      .execute();
    expect(audit.map((row) => row.action)).toEqual(['relationship.created']);
  });

  it('refuses self-links, unknown or foreign parties, unknown types and misplaced ends with 422 naming the field', async () => {
    const ana = await person(admin.client, 'Ana');
    const ben = await person(admin.client, 'Ben');
    const foreign = await person(outsider.client, 'Foreigner');
    const post = (body: Record<string, unknown>) => admin.client.post('/api/v1/relationships', body);
    const paths = (response: { body: { errors: { path: string }[] } }) =>
      response.body.errors.map((error) => error.path);

    const self = await post({ from: p(ana), to: p(ana), type: 'friend' });
    expect(self.status).toBe(422);
    expect(paths(self)).toEqual(['body.to']);
    const away = await post({ from: p(ana), to: p(foreign), type: 'friend' });
    expect(away.status).toBe(422);
    expect(paths(away)).toEqual(['body.to.id']);
    const missing = await post({ from: o(ana), to: p(ben), type: 'partner_of' });
    expect(missing.status).toBe(422);
    expect(paths(missing)).toEqual(['body.from.id']);
    const unknownType = await post({ from: p(ana), to: p(ben), type: 'nemesis' });
    expect(unknownType.status).toBe(422);
    expect(paths(unknownType)).toEqual(['body.type']);
    const misplaced = await post({ from: p(ana), to: p(ben), type: 'works_at' });
    expect(misplaced.status).toBe(422);
    expect(paths(misplaced)).toEqual(['body.to.type']);
    expect(misplaced.body.detail).toContain('an organization');

    const badShape = await post({ from: { type: 'robot', id: ana }, to: p(ben), type: 'friend' });
    expect(badShape.status).toBe(400);
    expect((await post({ from: p(ana), to: p(ben), type: 'Friend!' })).status).toBe(400);
    expect((await post({ from: p(ana), to: p(ben) })).status).toBe(400);
  });

  it('answers 409 for a duplicate link, either way for symmetric types', async () => {
    const ana = await person(admin.client, 'Ana');
    const ben = await person(admin.client, 'Ben');
    await link(admin.client, ana, 'friend', ben);
    const again = await admin.client.post('/api/v1/relationships', {
      from: p(ana),
      to: p(ben),
      type: 'friend',
    });
    expect(again.status).toBe(409);
    const reverse = await admin.client.post('/api/v1/relationships', {
      from: p(ben),
      to: p(ana),
      type: 'friend',
    });
    expect(reverse.status).toBe(409);
    await link(admin.client, ana, 'influences', ben);
    await link(admin.client, ben, 'influences', ana); // directed: both ways is two different facts
  });

  it('removes links; other workspaces and read-only roles are refused', async () => {
    const ana = await person(admin.client, 'Ana');
    const ben = await person(admin.client, 'Ben');
    const rel = await link(admin.client, ana, 'reports_to', ben);
    const executive = await signedInUser(t, 'executive', admin.workspaceId);
    expect((await executive.client.get(`/api/v1/relationships?personId=${ana}`)).status).toBe(200);
    expect(
      (await executive.client.post('/api/v1/relationships', { from: p(ben), to: p(ana), type: 'friend' }))
        .status,
    ).toBe(403);
    expect((await executive.client.delete(`/api/v1/relationships/${rel.id}`)).status).toBe(403);

    expect((await outsider.client.delete(`/api/v1/relationships/${rel.id}`)).status).toBe(404);
    expect((await outsider.client.get(`/api/v1/relationships?personId=${ana}`)).status).toBe(404);
    const theirs = await outsider.client.get('/api/v1/relationships');
    expect(theirs.body.data.map((r: { id: string }) => r.id)).not.toContain(rel.id);
    expect((await outsider.client.get(`/api/v1/people/${ana}/influence`)).status).toBe(404);

    expect((await admin.client.delete(`/api/v1/relationships/${rel.id}`)).status).toBe(204);
    expect((await admin.client.delete(`/api/v1/relationships/${rel.id}`)).status).toBe(404);
    const left = await admin.client.get(`/api/v1/relationships?personId=${ana}`);
    expect(left.body.data).toEqual([]);
  });

  it('hides links to a deleted person until restored, and drops them when the person is purged', async () => {
    const ana = await person(admin.client, 'Ana');
    const ben = await person(admin.client, 'Ben');
    const rel = await link(admin.client, ana, 'family', ben);
    await admin.client.delete(`/api/v1/people/${ben}`);
    expect((await admin.client.get(`/api/v1/relationships?personId=${ana}`)).body.data).toEqual([]);
    await admin.client.post(`/api/v1/people/${ben}/restore`);
    const back = await admin.client.get(`/api/v1/relationships?personId=${ana}`);
    expect(back.body.data.map((r: { id: string }) => r.id)).toEqual([rel.id]);
    await t.database.db.deleteFrom('people').where('id', '=', ben).execute();
    const row = await t.database.db
      .selectFrom('relationships')
      .select('id')
      .where('id', '=', rel.id)
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });
});

describe('relationship types', () => {
  it('lists built-in and workspace types; adds and deletes workspace types', async () => {
    const w = await signedInUser(t, 'manager');
    const list = await w.client.get('/api/v1/relationship-types');
    expect(list.status).toBe(200);
    expect(list.body.data.map((type: { key: string }) => type.key)).toEqual([
      'works_at',
      'reports_to',
      'referred_by',
      'influences',
      'family',
      'friend',
      'partner_of',
    ]);
    const created = await w.client.post('/api/v1/relationship-types', {
      label: 'Mentor of',
      inverseLabel: 'Mentored by',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'mentor_of', label: 'Mentor of', builtIn: false });
    expect((await w.client.post('/api/v1/relationship-types', { label: 'Mentor of' })).status).toBe(409);
    expect((await w.client.post('/api/v1/relationship-types', { key: 'friend', label: 'Pal' })).status).toBe(
      409,
    );
    expect((await w.client.post('/api/v1/relationship-types', { key: 'Bad Key', label: 'x' })).status).toBe(
      400,
    );
    expect((await w.client.post('/api/v1/relationship-types', { label: '' })).status).toBe(400);
    // Another workspace may use the same key, and cannot see or delete this one.
    expect((await outsider.client.post('/api/v1/relationship-types', { label: 'Mentor of' })).status).toBe(
      201,
    );
    expect((await outsider.client.delete(`/api/v1/relationship-types/${created.body.id}`)).status).toBe(404);
    const executive = await signedInUser(t, 'executive', w.workspaceId);
    expect((await executive.client.post('/api/v1/relationship-types', { label: 'Coach' })).status).toBe(403);
    expect((await executive.client.delete(`/api/v1/relationship-types/${created.body.id}`)).status).toBe(403);

    const ana = await person(w.client, 'Ana');
    const ben = await person(w.client, 'Ben');
    const rel = await link(w.client, ana, 'mentor_of', ben);
    expect(rel).toMatchObject({ label: 'Mentor of', inverseLabel: 'Mentored by' });
    const inUse = await w.client.delete(`/api/v1/relationship-types/${created.body.id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.detail).toContain('1 relationship');
    await w.client.delete(`/api/v1/relationships/${rel.id}`);
    expect((await w.client.delete(`/api/v1/relationship-types/${created.body.id}`)).status).toBe(204);
    const after = await w.client.get('/api/v1/relationship-types');
    expect(after.body.data.map((type: { key: string }) => type.key)).not.toContain('mentor_of');
  });
});

describe('influence map', () => {
  it('follows influences and referred_by two hops each way, with customer counts', async () => {
    const w = await signedInUser(t, 'manager');
    const c = w.client;
    const root = await person(c, 'Root', { stage: 'influencer' });
    const a = await person(c, 'Alma', { stage: 'advocate' });
    const a2 = await person(c, 'Anton');
    const b = await person(c, 'Bea');
    const x = await person(c, 'Xavi', { stage: 'partner' });
    const y = await person(c, 'Yara');
    const z = await person(c, 'Zeno');
    const c1 = await person(c, 'Cust One', { stage: 'customer' });
    const c2 = await person(c, 'Cust Two', { stage: 'customer' });
    const gone = await person(c, 'Gone');
    const acme = await organization(c, 'Acme');

    await link(c, root, 'influences', a); // root → Alma
    await link(c, a, 'influences', a2); // Alma → Anton (hop 2)
    await link(c, b, 'referred_by', root); // root referred Bea: root → Bea
    await link(c, a, 'influences', c2); // Alma → Cust Two (hop 2, and a customer of Alma)
    await link(c, a, 'friend', c1); // Alma knows Cust One: customer count only
    await link(c, root, 'influences', gone);
    await link(c, x, 'influences', root); // Xavi → root
    await link(c, y, 'influences', x); // Yara → Xavi (hop 2)
    await link(c, root, 'referred_by', z); // Zeno referred root: Zeno → root
    await link(c, x, 'family', c1);
    await link(c, root, 'partner_of', c2);
    await c.post('/api/v1/relationships', { from: p(x), to: o(acme), type: 'partner_of' });
    expect((await c.delete(`/api/v1/people/${gone}`)).status).toBe(204);

    const map = await c.get(`/api/v1/people/${root}/influence`);
    expect(map.status, JSON.stringify(map.body)).toBe(200);
    expect(map.body.person).toEqual({ id: root, displayName: 'Root', stage: 'influencer', customerCount: 1 });
    expect(map.body.truncated).toBe(false);
    expect(map.body.influences).toEqual([
      { id: a, displayName: 'Alma', stage: 'advocate', hop: 1, via: null, customerCount: 2 },
      { id: b, displayName: 'Bea', stage: 'prospect', hop: 1, via: null, customerCount: 0 },
      { id: a2, displayName: 'Anton', stage: 'prospect', hop: 2, via: a, customerCount: 0 },
      { id: c2, displayName: 'Cust Two', stage: 'customer', hop: 2, via: a, customerCount: 0 },
    ]);
    expect(map.body.influencedBy).toEqual([
      { id: x, displayName: 'Xavi', stage: 'partner', hop: 1, via: null, customerCount: 1 },
      { id: z, displayName: 'Zeno', stage: 'prospect', hop: 1, via: null, customerCount: 0 },
      { id: y, displayName: 'Yara', stage: 'prospect', hop: 2, via: x, customerCount: 0 },
    ]);

    // A loop back to the root does not list the root, and a person at hop 1 is not repeated at hop 2.
    await link(c, a2, 'influences', root);
    await link(c, b, 'influences', a);
    const looped = await c.get(`/api/v1/people/${root}/influence`);
    const ids = looped.body.influences.map((node: { id: string }) => node.id);
    expect(ids).not.toContain(root);
    expect(ids.filter((id: string) => id === a)).toHaveLength(1);
    expect(
      looped.body.influencedBy.map((node: { id: string; hop: number }) => [node.id, node.hop]),
    ).toContainEqual([a2, 1]);
    expect((await c.get(`/api/v1/people/${gone}/influence`)).status).toBe(404);
  });

  it('caps the fan-out and says so', async () => {
    const w = await signedInUser(t, 'admin');
    const root = await person(w.client, 'Hub');
    await sql`
      with followers as (
        insert into people (id, workspace_id, display_name, sort_name, search_name, search_text)
        select gen_random_uuid(), ${w.workspaceId}, 'Follower ' || lpad(i::text, 2, '0'),
          'follower ' || lpad(i::text, 2, '0'), 'follower', 'follower'
        from generate_series(0, 50) i
        returning id
      )
      insert into relationships (id, workspace_id, from_type, from_id, to_type, to_id, type)
      select gen_random_uuid(), ${w.workspaceId}, 'person', ${root}, 'person', id, 'influences' from followers`.execute(
      t.database.db,
    );
    const map = await w.client.get(`/api/v1/people/${root}/influence`);
    expect(map.status).toBe(200);
    expect(map.body.influences).toHaveLength(50);
    expect(map.body.truncated).toBe(true);
    expect(map.body.influences[0].displayName).toBe('Follower 00');
  });
});
