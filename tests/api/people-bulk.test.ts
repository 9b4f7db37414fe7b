import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

async function people(client: Client, count: number, body: Record<string, unknown> = {}) {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const response = await client.post('/api/v1/people', { givenName: `Bulk ${i}`, ...body });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    ids.push(response.body.id);
  }
  return ids;
}
const read = async (client: Client, id: string) => (await client.get(`/api/v1/people/${id}`)).body;

describe('bulk actions on people', () => {
  it('adds and removes tags, keeping existing ones, bumping versions and the search text', async () => {
    const ids = await people(admin.client, 3, { tags: ['old'] });
    const added = await admin.client.post('/api/v1/people/bulk', {
      ids,
      action: 'addTags',
      tags: ['VIP', 'old'],
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.affected).toBe(3);
    expect([...added.body.ids].sort()).toEqual([...ids].sort());
    const person = await read(admin.client, ids[0]!);
    expect(person).toMatchObject({ tags: ['old', 'vip'], version: 2 });
    const found = await admin.client.get('/api/v1/people?tag=vip&limit=200');
    expect(found.body.data.map((p: { id: string }) => p.id).sort()).toEqual([...ids].sort());
    const row = await t.database.db
      .selectFrom('people')
      .select('search_text')
      .where('id', '=', ids[0]!)
      .executeTakeFirstOrThrow();
    expect(row.search_text).toContain('vip');

    const removed = await admin.client.post('/api/v1/people/bulk', {
      ids,
      action: 'removeTags',
      tags: ['old'],
    });
    expect(removed.body.affected).toBe(3);
    expect(await read(admin.client, ids[1]!)).toMatchObject({ tags: ['vip'], version: 3 });
  });

  it('sets the owner and the stage, and audits one entry per person', async () => {
    const ids = await people(admin.client, 2);
    const owner = await signedInUser(t, 'agent', admin.workspaceId);
    const owned = await admin.client.post('/api/v1/people/bulk', {
      ids,
      action: 'setOwner',
      ownerId: owner.user.id,
    });
    expect(owned.body.affected).toBe(2);
    const staged = await admin.client.post('/api/v1/people/bulk', {
      ids,
      action: 'setStage',
      stage: 'advocate',
    });
    expect(staged.body.affected).toBe(2);
    expect(await read(admin.client, ids[0]!)).toMatchObject({
      ownerId: owner.user.id,
      stage: 'advocate',
      version: 3,
    });
    const cleared = await admin.client.post('/api/v1/people/bulk', {
      ids,
      action: 'setOwner',
      ownerId: null,
    });
    expect(cleared.status).toBe(200);
    expect((await read(admin.client, ids[1]!)).ownerId).toBeNull();

    const entries = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'before', 'after'])
      .where('action', '=', 'person.bulk_setStage')
      .execute();
    expect(entries.map((entry) => entry.entity_id).sort()).toEqual([...ids].sort());
    expect(entries[0]).toMatchObject({ before: { stage: 'prospect' }, after: { stage: 'advocate' } });
  });

  it('deletes and restores in bulk', async () => {
    const ids = await people(admin.client, 2);
    const deleted = await admin.client.post('/api/v1/people/bulk', { ids, action: 'delete' });
    expect(deleted.body.affected).toBe(2);
    expect((await admin.client.get(`/api/v1/people/${ids[0]}`)).status).toBe(404);
    const again = await admin.client.post('/api/v1/people/bulk', { ids, action: 'delete' });
    expect(again.status).toBe(422);
    const restored = await admin.client.post('/api/v1/people/bulk', { ids, action: 'restore' });
    expect(restored.body.affected).toBe(2);
    expect((await admin.client.get(`/api/v1/people/${ids[0]}`)).status).toBe(200);
  });

  it('changes nothing when one id is unknown or belongs to another workspace, and lists those ids', async () => {
    const ids = await people(admin.client, 2);
    const other = await signedInUser(t, 'admin');
    const [foreign] = await people(other.client, 1);
    const unknown = newId();
    const response = await admin.client.post('/api/v1/people/bulk', {
      ids: [...ids, foreign, unknown],
      action: 'setStage',
      stage: 'customer',
    });
    expect(response.status).toBe(422);
    expect(response.body.detail).toContain(foreign);
    expect(response.body.detail).toContain(unknown);
    expect(response.body.errors).toHaveLength(2);
    for (const id of ids)
      expect(await read(admin.client, id!)).toMatchObject({ stage: 'prospect', version: 1 });
    expect(await read(other.client, foreign!)).toMatchObject({ stage: 'prospect', version: 1 });
    // Another workspace cannot touch our people either.
    const theirs = await other.client.post('/api/v1/people/bulk', { ids, action: 'delete' });
    expect(theirs.status).toBe(422);
    expect((await admin.client.get(`/api/v1/people/${ids[0]}`)).status).toBe(200);
  });

  it('refuses bad requests with the field to fix', async () => {
    const [id] = await people(admin.client, 1);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ids: [], action: 'delete' }, 400, 'body.ids'],
      [{ ids: [id], action: 'addTags' }, 400, 'body.tags'],
      [{ ids: [id], action: 'setStage' }, 400, 'body.stage'],
      [{ ids: [id], action: 'setOwner' }, 400, 'body.ownerId'],
      [{ ids: [id], action: 'explode' }, 400, 'body.action'],
      [{ ids: ['nope'], action: 'delete' }, 400, 'body.ids.0'],
      [{ ids: [id], action: 'setOwner', ownerId: newId() }, 422, 'body.ownerId'],
    ];
    for (const [body, status, path] of cases) {
      const response = await admin.client.post('/api/v1/people/bulk', body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.body.errors[0].path).toBe(path);
    }
    const tooMany = await admin.client.post('/api/v1/people/bulk', {
      ids: Array.from({ length: 1001 }, () => newId()),
      action: 'delete',
    });
    expect(tooMany.status).toBe(400);
  });

  it('needs people.write, and people.delete for delete and restore', async () => {
    const ids = await people(admin.client, 1);
    const executive = await signedInUser(t, 'executive', admin.workspaceId);
    expect(
      (await executive.client.post('/api/v1/people/bulk', { ids, action: 'addTags', tags: ['x'] })).status,
    ).toBe(403);
    const agent = await signedInUser(t, 'agent', admin.workspaceId);
    expect(
      (await agent.client.post('/api/v1/people/bulk', { ids, action: 'addTags', tags: ['x'] })).status,
    ).toBe(200);
    expect((await agent.client.post('/api/v1/people/bulk', { ids, action: 'delete' })).status).toBe(403);
    expect((await agent.client.post('/api/v1/people/bulk', { ids, action: 'restore' })).status).toBe(403);
    expect((await read(admin.client, ids[0]!)).tags).toEqual(['x']);
  });

  it('handles 1000 people in one request', async () => {
    const values = Array.from({ length: 1000 }, (_, i) => ({
      id: newId(),
      workspace_id: admin.workspaceId,
      display_name: `Many ${i}`,
      custom_display_name: true,
      stage: 'prospect' as const,
      sort_name: `many ${i}`,
      search_name: `many ${i}`,
      search_text: `many ${i}`,
    }));
    await t.database.db.insertInto('people').values(values).execute();
    const ids = values.map((value) => value.id);
    const response = await admin.client.post('/api/v1/people/bulk', {
      ids,
      action: 'addTags',
      tags: ['many'],
    });
    expect(response.status).toBe(200);
    expect(response.body.affected).toBe(1000);
    const audited = await t.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('action', '=', 'person.bulk_addTags')
      .where('entity_id', 'in', ids)
      .executeTakeFirstOrThrow();
    expect(Number(audited.count)).toBe(1000);
  });
});
