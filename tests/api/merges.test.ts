import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  await defineCustomFields(admin.workspaceId);
});

/** Custom fields must be defined before people use them. */
async function defineCustomFields(workspaceId: string) {
  const fields = [
    ['shoe_size', 'number'],
    ['colour', 'text'],
    ['pet', 'text'],
  ] as const;
  for (const [position, [key, type]] of fields.entries()) {
    await sql`insert into custom_field_definitions (id, workspace_id, entity, key, label, type, position)
      values (${newId()}, ${workspaceId}, 'person', ${key}, ${key}, ${type}, ${position})`.execute(
      t.database.db,
    );
  }
}
afterAll(() => t.close());

async function createPerson(client: Client, body: Record<string, unknown>) {
  const response = await client.post('/api/v1/people', body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function merge(client: Client, survivorId: string, body: Record<string, unknown>) {
  return client.post(`/api/v1/people/${survivorId}/merge`, body);
}

describe('merging field by field', () => {
  it('keeps the chosen values, both values of lists, falls back to the other person for empty fields', async () => {
    const survivor = await createPerson(admin.client, {
      givenName: 'Ada',
      familyName: 'Lovelace',
      emails: [{ value: 'ada@example.com', label: 'work' }],
      phones: [{ value: '+1 415 555 0101', label: 'mobile' }],
      tags: ['vip'],
      customFields: { shoe_size: 42, colour: 'red' },
      notes: 'Met at the Analytical Society.',
      stage: 'prospect',
      lastContactedAt: '2026-01-01T10:00:00.000Z',
    });
    const other = await createPerson(admin.client, {
      givenName: 'Ada',
      familyName: 'King',
      jobTitle: 'Countess',
      emails: [
        { value: 'ADA@example.com', label: 'home' },
        { value: 'ada.king@example.org', label: 'personal', primary: true },
      ],
      phones: [{ value: '+44 20 7946 0958', label: 'home' }],
      tags: ['speaker', 'VIP'],
      customFields: { shoe_size: 40, pet: 'cat' },
      notes: 'Prefers letters.',
      stage: 'customer',
      lastContactedAt: '2026-03-01T10:00:00.000Z',
    });
    const response = await merge(admin.client, survivor.id, {
      otherId: other.id,
      version: survivor.version,
      otherVersion: other.version,
      fields: {
        familyName: 'other',
        stage: 'other',
        emails: 'both',
        tags: 'both',
        notes: 'both',
        'customFields.shoe_size': 'other',
      },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.merge).toMatchObject({ survivorId: survivor.id, mergedId: other.id });
    expect(response.headers.etag).toBe(`"${survivor.version + 1}"`);
    const person = response.body.person;
    expect(person).toMatchObject({
      id: survivor.id,
      givenName: 'Ada',
      familyName: 'King',
      displayName: 'Ada King',
      jobTitle: 'Countess', // empty on the survivor: taken from the other
      stage: 'customer',
      // Same email in another case is one email; the survivor's primary stays primary.
      emails: [
        { value: 'ada@example.com', label: 'work', primary: true },
        { value: 'ada.king@example.org', label: 'personal', primary: false },
      ],
      phones: [{ value: '+1 415 555 0101', e164: '+14155550101', label: 'mobile', primary: true }],
      tags: ['vip', 'speaker'],
      customFields: { shoe_size: 40, colour: 'red', pet: 'cat' },
      notes: 'Met at the Analytical Society.\n\n---\n\nPrefers letters.',
      lastContactedAt: '2026-03-01T10:00:00.000Z', // the latest of the two
      version: survivor.version + 1,
    });
    expect((await admin.client.get(`/api/v1/people/${survivor.id}`)).body).toEqual(person);
    expect((await admin.client.get(`/api/v1/people/${other.id}`)).status).toBe(404);

    // Searchable by the other person's email now.
    const row = await t.database.db
      .selectFrom('people')
      .select(['email_keys', 'deleted_at'])
      .select(sql<string | null>`merged_into`.as('merged_into'))
      .where('id', 'in', [survivor.id, other.id])
      .orderBy('id')
      .execute();
    expect(row[0]!.email_keys).toEqual(['ada@example.com', 'ada.king@example.org']);
    expect(row[1]).toMatchObject({ merged_into: survivor.id });
    expect(row[1]!.deleted_at).not.toBeNull();

    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'person.merged')
      .where('entity_id', '=', survivor.id)
      .executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ survivor: { id: survivor.id }, other: { id: other.id } });
    expect(audit.after).toMatchObject({ person: { familyName: 'King' }, mergedId: other.id });
  });

  it("keeps only the other person's list when asked, and a scalar of the other side", async () => {
    const survivor = await createPerson(admin.client, {
      givenName: 'Grace',
      emails: [{ value: 'grace@old.example.com' }],
      tags: ['old'],
    });
    const other = await createPerson(admin.client, {
      givenName: 'Grace',
      familyName: 'Hopper',
      emails: [{ value: 'grace@navy.example.com' }],
      tags: ['navy'],
      birthday: '1906-12-09',
    });
    const response = await merge(admin.client, survivor.id, {
      otherId: other.id,
      fields: { emails: 'other', tags: 'survivor' },
    });
    expect(response.status).toBe(200);
    expect(response.body.person).toMatchObject({
      displayName: 'Grace Hopper',
      emails: [{ value: 'grace@navy.example.com', primary: true }],
      tags: ['old'],
      birthday: '1906-12-09',
    });
  });

  it('refuses unknown fields and "both" for a single value with 400 naming the field', async () => {
    const a = await createPerson(admin.client, { givenName: 'Field', familyName: 'One' });
    const b = await createPerson(admin.client, { givenName: 'Field', familyName: 'Two' });
    const unknown = await merge(admin.client, a.id, { otherId: b.id, fields: { shoe: 'other' } });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.errors)).toContain('shoe');
    const both = await merge(admin.client, a.id, { otherId: b.id, fields: { familyName: 'both' } });
    expect(both.status).toBe(400);
    expect(both.body.detail).toContain('familyName');
    const missing = await admin.client.post(`/api/v1/people/${a.id}/merge`, { fields: {} });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.errors)).toContain('otherId');
  });
});

describe('refusals', () => {
  it('answers 422 for the same person, 404 for unknown or deleted, 409 for stale versions', async () => {
    const a = await createPerson(admin.client, { givenName: 'Refuse', familyName: 'A' });
    const b = await createPerson(admin.client, { givenName: 'Refuse', familyName: 'B' });
    const same = await merge(admin.client, a.id, { otherId: a.id });
    expect(same.status).toBe(422);
    expect(same.body.detail).toContain('otherId');

    expect((await merge(admin.client, a.id, { otherId: newId() })).status).toBe(404);
    expect((await merge(admin.client, newId(), { otherId: a.id })).status).toBe(404);

    const stale = await merge(admin.client, a.id, { otherId: b.id, version: a.version + 5 });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toContain('version');
    const staleOther = await merge(admin.client, a.id, { otherId: b.id, otherVersion: 99 });
    expect(staleOther.status).toBe(409);
    expect(staleOther.body.detail).toContain('other person');
    const ifMatch = await admin.client.post(
      `/api/v1/people/${a.id}/merge`,
      { otherId: b.id },
      { 'if-match': '"77"' },
    );
    expect(ifMatch.status).toBe(409);

    const deleted = await createPerson(admin.client, { givenName: 'Deleted' });
    expect((await admin.client.delete(`/api/v1/people/${deleted.id}`)).status).toBe(204);
    expect((await merge(admin.client, a.id, { otherId: deleted.id })).status).toBe(404);
    expect((await merge(admin.client, deleted.id, { otherId: a.id })).status).toBe(404);
    // Nothing changed by the refused attempts.
    expect((await admin.client.get(`/api/v1/people/${a.id}`)).body).toEqual(a);
  });

  it('answers 409 when merging into a person that was itself merged', async () => {
    const a = await createPerson(admin.client, { givenName: 'Chain', familyName: 'A' });
    const b = await createPerson(admin.client, { givenName: 'Chain', familyName: 'B' });
    const c = await createPerson(admin.client, { givenName: 'Chain', familyName: 'C' });
    expect((await merge(admin.client, a.id, { otherId: b.id })).status).toBe(200);
    const intoMerged = await merge(admin.client, b.id, { otherId: c.id });
    expect(intoMerged.status).toBe(409);
    expect(intoMerged.body.detail).toContain(a.id);
    const again = await merge(admin.client, a.id, { otherId: b.id });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('already merged');
    const restored = await admin.client.post(`/api/v1/people/${b.id}/restore`, {});
    expect(restored.status).toBe(409);
    expect(restored.body.detail).toContain('undo the merge');
  });

  it('lets exactly one of two concurrent merges of the same pair succeed', async () => {
    const a = await createPerson(admin.client, { givenName: 'Race', familyName: 'A' });
    const b = await createPerson(admin.client, { givenName: 'Race', familyName: 'B' });
    const results = await Promise.all([
      merge(admin.client, a.id, { otherId: b.id }),
      merge(admin.client, a.id, { otherId: b.id }),
      merge(admin.client, b.id, { otherId: a.id }),
    ]);
    const statuses = results.map((result) => result.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    for (const status of statuses.filter((s) => s !== 200)) expect([404, 409]).toContain(status);
    const live = await t.database.db
      .selectFrom('people')
      .select('id')
      .where('id', 'in', [a.id, b.id])
      .where('deleted_at', 'is', null)
      .execute();
    expect(live).toHaveLength(1);
    const merges = await t.database.db
      .selectFrom('merges')
      .select('id')
      .where('survivor_id', 'in', [a.id, b.id])
      .execute();
    expect(merges).toHaveLength(1);
  });
});

describe('permissions and workspaces', () => {
  it('refuses agents and executives with 403', async () => {
    const a = await createPerson(admin.client, { givenName: 'Perm', familyName: 'A' });
    const b = await createPerson(admin.client, { givenName: 'Perm', familyName: 'B' });
    const done = await merge(admin.client, a.id, { otherId: b.id });
    for (const role of ['agent', 'executive'] as const) {
      const user = await signedInUser(t, role, admin.workspaceId);
      expect((await merge(user.client, a.id, { otherId: b.id })).status).toBe(403);
      expect((await user.client.get('/api/v1/merges')).status).toBe(403);
      expect((await user.client.get(`/api/v1/merges/${done.body.merge.id}`)).status).toBe(403);
      expect((await user.client.post(`/api/v1/merges/${done.body.merge.id}/undo`)).status).toBe(403);
    }
    const manager = await signedInUser(t, 'manager', admin.workspaceId);
    expect((await manager.client.get(`/api/v1/merges/${done.body.merge.id}`)).status).toBe(200);
  });

  it("answers 404 for another workspace's people and merges, and never lists them", async () => {
    const a = await createPerson(admin.client, { givenName: 'Home', familyName: 'A' });
    const b = await createPerson(admin.client, { givenName: 'Home', familyName: 'B' });
    const done = await merge(admin.client, a.id, { otherId: b.id });
    const stranger = await signedInUser(t, 'admin');
    const theirs = await createPerson(stranger.client, { givenName: 'Away' });
    expect((await merge(stranger.client, theirs.id, { otherId: a.id })).status).toBe(404);
    expect((await merge(admin.client, a.id, { otherId: theirs.id })).status).toBe(404);
    expect((await merge(stranger.client, a.id, { otherId: theirs.id })).status).toBe(404);
    expect((await stranger.client.get(`/api/v1/merges/${done.body.merge.id}`)).status).toBe(404);
    expect((await stranger.client.post(`/api/v1/merges/${done.body.merge.id}/undo`)).status).toBe(404);
    expect((await stranger.client.get('/api/v1/merges')).body).toEqual({ data: [], next: null });
    expect((await admin.client.get(`/api/v1/people/${theirs.id}`)).status).toBe(404);
  });
});

describe('recent merges', () => {
  it('lists merges newest first, one page at a time, and shows one with its reference counts', async () => {
    const workspace = await signedInUser(t, 'manager');
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const a = await createPerson(workspace.client, { givenName: 'List', familyName: `A${n}` });
      const b = await createPerson(workspace.client, { givenName: 'List', familyName: `B${n}` });
      const done = await merge(workspace.client, a.id, { otherId: b.id });
      ids.push(done.body.merge.id);
    }
    const first = await workspace.client.get('/api/v1/merges?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.data.map((m: { id: string }) => m.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.data[0]).toMatchObject({
      survivorName: 'List A3',
      mergedName: 'List B3',
      undoneAt: null,
    });
    const second = await workspace.client.get(`/api/v1/merges?limit=2&after=${first.body.next}`);
    expect(second.body).toMatchObject({ data: [{ id: ids[0] }], next: null });
    expect((await workspace.client.get('/api/v1/merges?after=nope')).status).toBe(400);

    const detail = await workspace.client.get(`/api/v1/merges/${ids[0]}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      id: ids[0],
      fields: {},
      references: { interaction_people: { moved: 0, deleted: 0 }, relationships: { moved: 0, deleted: 0 } },
    });
    expect((await workspace.client.get(`/api/v1/merges/${newId()}`)).status).toBe(404);
  });
});
