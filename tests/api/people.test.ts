import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeDeleted } from '../../src/features/people/purge.ts';
import { createUser, signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  for (const [key, type] of [
    ['shoe_size', 'number'],
    ['newsletter', 'checkbox'],
  ]) {
    const defined = await admin.client.post('/api/v1/custom-fields', {
      entity: 'person',
      key,
      label: key,
      type,
    });
    expect(defined.status, JSON.stringify(defined.body)).toBe(201);
  }
});
afterAll(() => t.close());

async function createPerson(client: Client, body: Record<string, unknown> = {}) {
  const response = await client.post('/api/v1/people', { givenName: 'Ada', familyName: 'Lovelace', ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

describe('creating and reading a person', () => {
  it('normalizes names, emails, phones and tags, and derives the display name', async () => {
    const created = await createPerson(admin.client, {
      givenName: '  Zoë ',
      familyName: ' Ångström',
      pronouns: 'she/her',
      stage: 'influencer',
      emails: [
        { value: ' Zoe@Example.COM ', label: 'work' },
        { value: 'zoe.home@example.org', label: 'home', primary: true },
      ],
      phones: [{ value: '(415) 555-0123', label: 'mobile' }],
      websites: [{ value: 'zoe.example.com' }],
      tags: ['VIP', ' vip ', 'Early  Adopter'],
      birthday: '1990-02-28',
      customFields: { shoe_size: 42, newsletter: true },
    });
    expect(created).toMatchObject({
      givenName: 'Zoë',
      familyName: 'Ångström',
      displayName: 'Zoë Ångström',
      stage: 'influencer',
      emails: [
        { value: 'Zoe@Example.COM', label: 'work', primary: false },
        { value: 'zoe.home@example.org', label: 'home', primary: true },
      ],
      phones: [{ value: '(415) 555-0123', e164: '+14155550123', label: 'mobile', primary: true }],
      websites: [{ value: 'https://zoe.example.com', label: null, primary: true }],
      tags: ['vip', 'early adopter'],
      birthday: '1990-02-28',
      customFields: { shoe_size: 42, newsletter: true },
      organizationId: null,
      ownerId: null,
      version: 1,
    });
    const row = await t.database.db
      .selectFrom('people')
      .select(['email_keys', 'phone_keys'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.email_keys).toEqual(['zoe@example.com', 'zoe.home@example.org']);
    expect(row.phone_keys).toEqual(['+14155550123']);

    const read = await admin.client.get(`/api/v1/people/${created.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created);
    expect(read.headers.etag).toBe('"1"');
  });

  it('keeps Unicode names exactly, and puts the family name first for CJK names', async () => {
    const chinese = await createPerson(admin.client, { givenName: '小明', familyName: '王' });
    expect(chinese.displayName).toBe('王小明');
    const arabic = await createPerson(admin.client, { givenName: 'محمد', familyName: 'الأحمد' });
    expect(arabic.displayName).toBe('محمد الأحمد');
    const chosen = await createPerson(admin.client, { displayName: 'Dr. A. L.', givenName: 'Ada' });
    expect(chosen.displayName).toBe('Dr. A. L.');
    const onlyEmail = await admin.client.post('/api/v1/people', {
      emails: [{ value: 'someone@example.com' }],
    });
    expect(onlyEmail.body.displayName).toBe('someone@example.com');
  });

  it('reads phones without a country code with the workspace region', async () => {
    await t.database.db
      .updateTable('workspaces')
      .set({ default_region: 'FR' } as never)
      .where('id', '=', admin.workspaceId)
      .execute();
    const person = await createPerson(admin.client, { phones: [{ value: '06 12 34 56 78' }] });
    expect(person.phones[0].e164).toBe('+33612345678');
    await t.database.db
      .updateTable('workspaces')
      .set({ default_region: 'US' } as never)
      .where('id', '=', admin.workspaceId)
      .execute();
  });

  it('allows a second person with an email already used (duplicates are merged later)', async () => {
    await createPerson(admin.client, { emails: [{ value: 'shared@example.com' }] });
    await createPerson(admin.client, { emails: [{ value: 'SHARED@example.com' }] });
  });

  it('accepts an owner and an organization of the workspace', async () => {
    const owner = await createUser(t.database.db, admin.workspaceId, { role: 'agent' });
    const org = await admin.client.post('/api/v1/organizations', { name: 'Analytical Engines' });
    const person = await createPerson(admin.client, { ownerId: owner.id, organizationId: org.body.id });
    expect(person).toMatchObject({ ownerId: owner.id, organizationId: org.body.id });
  });
});

describe('bad input', () => {
  it('answers 422 naming each invalid email and phone', async () => {
    const response = await admin.client.post('/api/v1/people', {
      givenName: 'Bad',
      emails: [{ value: 'ok@example.com' }, { value: 'not-an-email' }],
      phones: [{ value: '+1 415 555 0123' }, { value: '12' }],
    });
    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.code).toBe('unprocessable');
    expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual([
      'body.emails.1.value',
      'body.phones.1.value',
    ]);
    expect(response.body.detail).toContain('not-an-email');
  });

  it('refuses two primaries, the same email twice, a bad website and an empty address', async () => {
    const response = await admin.client.post('/api/v1/people', {
      givenName: 'Bad',
      emails: [
        { value: 'a@example.com', primary: true },
        { value: 'A@example.com', primary: true },
      ],
      websites: [{ value: 'not a url' }],
      addresses: [{ label: 'home' }],
    });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'body.addresses.0',
      'body.emails',
      'body.emails.1.value',
      'body.websites.0.value',
    ]);
  });

  it('refuses an owner or organization of another workspace with 422', async () => {
    const other = await signedInUser(t, 'admin');
    const org = await other.client.post('/api/v1/organizations', { name: 'Elsewhere' });
    const response = await admin.client.post('/api/v1/people', {
      givenName: 'X',
      ownerId: other.user.id,
      organizationId: org.body.id,
    });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual([
      'body.ownerId',
      'body.organizationId',
    ]);
  });

  it('refuses an organization given as the owner and a user given as the organization with 422', async () => {
    const org = await admin.client.post('/api/v1/organizations', { name: 'Not A Person Ltd' });
    const response = await admin.client.post('/api/v1/people', {
      givenName: 'Swapped',
      ownerId: org.body.id,
      organizationId: admin.user.id,
    });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual([
      'body.ownerId',
      'body.organizationId',
    ]);
  });

  it('answers 400 for structural problems: nothing to name, wrong types, unknown fields', async () => {
    const empty = await admin.client.post('/api/v1/people', {});
    expect(empty.status).toBe(400);
    expect(empty.body.detail).toContain('at least a name');
    const wrong = await admin.client.post('/api/v1/people', { givenName: 3, stage: 'buyer', colour: 'red' });
    expect(wrong.status).toBe(400);
    const paths = wrong.body.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['body.givenName', 'body.stage', 'body']));
    const badDate = await admin.client.post('/api/v1/people', { givenName: 'X', birthday: '1990-02-30' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors[0].path).toBe('body.birthday');
  });
});

describe('permissions and workspaces', () => {
  it('lets an executive read but not write, and an agent write but not delete', async () => {
    const person = await createPerson(admin.client);
    const executive = await signedInUser(t, 'executive', admin.workspaceId);
    expect((await executive.client.get(`/api/v1/people/${person.id}`)).status).toBe(200);
    expect((await executive.client.get('/api/v1/people')).status).toBe(200);
    expect((await executive.client.post('/api/v1/people', { givenName: 'No' })).status).toBe(403);
    expect((await executive.client.patch(`/api/v1/people/${person.id}`, { version: 1 })).status).toBe(403);
    const agent = await signedInUser(t, 'agent', admin.workspaceId);
    expect((await agent.client.post('/api/v1/people', { givenName: 'Yes' })).status).toBe(201);
    expect((await agent.client.delete(`/api/v1/people/${person.id}`)).status).toBe(403);
    const manager = await signedInUser(t, 'manager', admin.workspaceId);
    expect((await manager.client.delete(`/api/v1/people/${person.id}`)).status).toBe(204);
  });

  it('answers 401 without credentials', async () => {
    const anonymous = t.client();
    expect((await anonymous.get('/api/v1/people')).status).toBe(401);
    expect((await anonymous.post('/api/v1/people', { givenName: 'X' })).status).toBe(401);
  });

  it('answers 404 for a person of another workspace and never lists them', async () => {
    const person = await createPerson(admin.client, { givenName: 'Secretive', familyName: 'Person' });
    const other = await signedInUser(t, 'admin');
    const url = `/api/v1/people/${person.id}`;
    expect((await other.client.get(url)).status).toBe(404);
    expect((await other.client.patch(url, { version: 1, givenName: 'Hacked' })).status).toBe(404);
    expect((await other.client.delete(url)).status).toBe(404);
    expect((await other.client.post(`${url}/restore`)).status).toBe(404);
    const list = await other.client.get('/api/v1/people?limit=200');
    expect(list.body.data).toEqual([]);
    const search = await other.client.get('/api/v1/search?q=Secretive');
    expect(search.body.data).toEqual([]);
    expect((await admin.client.get(url)).body.givenName).toBe('Secretive');
  });
});

describe('updating', () => {
  it('changes only the given fields, clears with null, re-derives the display name', async () => {
    const person = await createPerson(admin.client, { jobTitle: 'Analyst', emails: [{ value: 'a@ex.com' }] });
    const response = await admin.client.patch(`/api/v1/people/${person.id}`, {
      version: 1,
      givenName: 'Augusta',
      jobTitle: null,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      givenName: 'Augusta',
      familyName: 'Lovelace',
      displayName: 'Augusta Lovelace',
      jobTitle: null,
      emails: [{ value: 'a@ex.com', primary: true }],
      version: 2,
    });
    expect(response.headers.etag).toBe('"2"');
    expect(Date.parse(response.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(person.updatedAt));
    const invalid = await admin.client.patch(`/api/v1/people/${person.id}`, {
      version: 2,
      phones: [{ value: 'call me' }],
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors[0].path).toBe('body.phones.0.value');
  });

  it('needs the version, in the body or If-Match; a stale one gets 409', async () => {
    const person = await createPerson(admin.client);
    const url = `/api/v1/people/${person.id}`;
    const missing = await admin.client.patch(url, { jobTitle: 'X' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].path).toBe('body.version');
    const viaHeader = await admin.client.patch(url, { jobTitle: 'Y' }, { 'if-match': '"1"' });
    expect(viaHeader.status).toBe(200);
    const stale = await admin.client.patch(url, { jobTitle: 'Z' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toMatch(/Someone else changed this person/);
    expect((await admin.client.get(url)).body.jobTitle).toBe('Y');
  });

  it('lets exactly one of two simultaneous saves of the same version win', async () => {
    const person = await createPerson(admin.client);
    const url = `/api/v1/people/${person.id}`;
    const results = await Promise.all([
      admin.client.patch(url, { version: 1, jobTitle: 'First' }),
      admin.client.patch(url, { version: 1, jobTitle: 'Second' }),
      admin.client.patch(url, { version: 1, jobTitle: 'Third' }),
    ]);
    const statuses = results.map((result) => result.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
    const winner = results.find((result) => result.status === 200)!;
    const now = await admin.client.get(url);
    expect(now.body).toMatchObject({ version: 2, jobTitle: winner.body.jobTitle });
  });
});

describe('deleting and restoring', () => {
  it('soft-deletes, hides the person, restores within 30 days, and audits each step', async () => {
    const person = await createPerson(admin.client, { givenName: 'Ephemeral' });
    const url = `/api/v1/people/${person.id}`;
    const stale = await admin.client.delete(url, { 'if-match': '"7"' });
    expect(stale.status).toBe(409);
    expect((await admin.client.delete(url)).status).toBe(204);
    expect((await admin.client.get(url)).status).toBe(404);
    expect((await admin.client.patch(url, { version: 2, givenName: 'X' })).status).toBe(404);
    expect((await admin.client.delete(url)).status).toBe(404);
    const list = await admin.client.get('/api/v1/people?limit=200&q=Ephemeral');
    expect(list.body.data).toEqual([]);
    expect((await admin.client.get('/api/v1/search?q=Ephemeral')).body.data).toEqual([]);

    const restored = await admin.client.post(`${url}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id: person.id, givenName: 'Ephemeral', version: 3 });
    expect((await admin.client.get(url)).status).toBe(200);
    expect((await admin.client.post(`${url}/restore`)).status).toBe(409);

    const entries = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'person')
      .where('entity_id', '=', person.id)
      .orderBy('id')
      .execute();
    expect(entries.map((entry) => entry.action)).toEqual([
      'person.created',
      'person.deleted',
      'person.restored',
    ]);
    expect(entries.every((entry) => entry.actor_id === admin.user.id)).toBe(true);
    expect(entries[1]!.before).toMatchObject({ givenName: 'Ephemeral' });
  });

  it('refuses to restore after 30 days (410), then purges', async () => {
    const person = await createPerson(admin.client);
    await admin.client.delete(`/api/v1/people/${person.id}`);
    await t.database.db
      .updateTable('people')
      .set({ deleted_at: new Date(Date.now() - 31 * 86_400_000) })
      .where('id', '=', person.id)
      .execute();
    const response = await admin.client.post(`/api/v1/people/${person.id}/restore`);
    expect(response.status).toBe(410);

    // The hourly maintenance job purges it; the audit trail stays.
    expect(await purgeDeleted(t.database.db)).toBeGreaterThanOrEqual(1);
    expect((await admin.client.post(`/api/v1/people/${person.id}/restore`)).status).toBe(404);
    const actions = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_type'])
      .where('entity_id', '=', person.id)
      .orderBy('id')
      .execute();
    expect(actions).toEqual([
      { action: 'person.created', actor_type: 'user' },
      { action: 'person.deleted', actor_type: 'user' },
      { action: 'person.purged', actor_type: 'system' },
    ]);
  });

  it('audits updates with before and after', async () => {
    const person = await createPerson(admin.client, { jobTitle: 'Before' });
    await admin.client.patch(`/api/v1/people/${person.id}`, { version: 1, jobTitle: 'After' });
    const entry = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', person.id)
      .where('action', '=', 'person.updated')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ workspace_id: admin.workspaceId, actor_type: 'user' });
    expect(entry.before).toMatchObject({ jobTitle: 'Before', version: 1 });
    expect(entry.after).toMatchObject({ jobTitle: 'After', version: 2 });
  });
});
