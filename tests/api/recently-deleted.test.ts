import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/platform/db/migrate.ts';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

/** QA 10, defects 3 and 4: deleting an organization detaches its people; recently deleted lists. */
let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

async function created(client: Client, url: string, body: Record<string, unknown>) {
  const response = await client.post(url, body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; version: number; organizationId?: string | null };
}

async function walk(client: Client, url: string, limit: number) {
  const seen: { id: string; deletedAt: string }[] = [];
  let after: string | null = null;
  do {
    const cursor: string = after ? `&after=${encodeURIComponent(after)}` : '';
    const response = await client.get(`${url}?limit=${limit}${cursor}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    seen.push(...response.body.data);
    after = response.body.next;
  } while (after);
  return seen;
}

const auditActions = (entityId: string) =>
  t.database.db
    .selectFrom('audit_log')
    .select(['action', 'before', 'after'])
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();

describe('deleting an organization', () => {
  it('detaches its people (audited) and restoring it re-links exactly those still without one', async () => {
    const org = await created(admin.client, '/api/v1/organizations', { name: 'Globex' });
    const other = await created(admin.client, '/api/v1/organizations', { name: 'Hooli' });
    const stays = await created(admin.client, '/api/v1/people', {
      givenName: 'Stays',
      organizationId: org.id,
    });
    const moves = await created(admin.client, '/api/v1/people', {
      givenName: 'Moves',
      organizationId: org.id,
    });
    const gone = await created(admin.client, '/api/v1/people', { givenName: 'Gone', organizationId: org.id });
    const elsewhere = await created(admin.client, '/api/v1/people', {
      givenName: 'Elsewhere',
      organizationId: other.id,
    });
    // A deleted person is detached too, so that restoring them never brings back a dead link.
    expect((await admin.client.delete(`/api/v1/people/${gone.id}`)).status).toBe(204);

    expect((await admin.client.delete(`/api/v1/organizations/${org.id}`)).status).toBe(204);
    const read = await admin.client.get(`/api/v1/people/${stays.id}`);
    expect(read.body).toMatchObject({ organizationId: null, version: stays.version + 1 });
    expect(read.headers.etag).toBe(`"${stays.version + 1}"`);
    const byOrg = await admin.client.get(`/api/v1/people?organizationId=${org.id}`);
    expect(byOrg.body.data).toEqual([]);
    expect((await admin.client.get(`/api/v1/people/${elsewhere.id}`)).body.organizationId).toBe(other.id);
    const restoredGone = await admin.client.post(`/api/v1/people/${gone.id}/restore`);
    expect(restoredGone.body.organizationId).toBeNull();
    expect(await auditActions(stays.id)).toEqual(
      expect.arrayContaining([
        {
          action: 'person.organization_detached',
          before: { organizationId: org.id, version: stays.version },
          after: { organizationId: null, version: stays.version + 1 },
        },
      ]),
    );
    const deletion = (await auditActions(org.id)).find((row) => row.action === 'organization.deleted');
    expect(deletion?.after).toMatchObject({ detachedPeople: 3 });

    // An edit made with the version read before the deletion is refused, not silently re-linked.
    const stale = await admin.client.patch(`/api/v1/people/${stays.id}`, {
      version: stays.version,
      jobTitle: 'CEO',
    });
    expect(stale.status).toBe(409);
    // One of them moves to another organization meanwhile: restoring leaves them there.
    const moved = await admin.client.patch(`/api/v1/people/${moves.id}`, {
      version: moves.version + 1,
      organizationId: other.id,
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);

    const listed = await admin.client.get('/api/v1/organizations/deleted');
    expect(listed.status).toBe(200);
    expect(listed.body.data[0]).toMatchObject({
      id: org.id,
      name: 'Globex',
      detachedPeople: 2,
      deletedBy: { id: admin.user.id, name: admin.user.name },
    });
    const one = await admin.client.get(`/api/v1/organizations/deleted/${org.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(listed.body.data[0]);

    const restored = await admin.client.post(`/api/v1/organizations/${org.id}/restore`);
    expect(restored.status).toBe(200);
    expect((await admin.client.get(`/api/v1/people/${stays.id}`)).body.organizationId).toBe(org.id);
    expect((await admin.client.get(`/api/v1/people/${gone.id}`)).body.organizationId).toBe(org.id);
    expect((await admin.client.get(`/api/v1/people/${moves.id}`)).body.organizationId).toBe(other.id);
    expect((await auditActions(stays.id)).at(-1)).toMatchObject({
      action: 'person.organization_relinked',
      after: { organizationId: org.id },
    });
    const remembered = await t.database.db
      .selectFrom('people')
      .select('id')
      .where('detached_organization_id', '=', org.id)
      .execute();
    expect(remembered).toEqual([]);
    expect((await admin.client.get('/api/v1/organizations/deleted')).body.data).toEqual([]);
    expect((await admin.client.get(`/api/v1/organizations/deleted/${org.id}`)).status).toBe(404);
  });

  it('migration 0025 detaches people already pointing at a deleted organization', async () => {
    const org = await created(admin.client, '/api/v1/organizations', { name: 'Legacy Corp' });
    const person = await created(admin.client, '/api/v1/people', { givenName: 'Legacy' });
    // The state an older version left: the organization deleted, the person still linked to it.
    await t.database.db
      .updateTable('organizations')
      .set({ deleted_at: new Date() })
      .where('id', '=', org.id)
      .execute();
    await t.database.db
      .updateTable('people')
      .set({ organization_id: org.id })
      .where('id', '=', person.id)
      .execute();
    // Unapply 0025 and apply it again, as an existing database upgrading would.
    await sql`drop index people_recently_deleted_idx`.execute(t.database.db);
    await sql`drop index organizations_recently_deleted_idx`.execute(t.database.db);
    await sql`alter table people drop column detached_organization_id`.execute(t.database.db);
    await t.database.db
      .deleteFrom('schema_migrations')
      .where('version', '=', '0025_people_detached_organization')
      .execute();
    expect(await migrate(t.database.db)).toEqual(['0025_people_detached_organization']);

    const read = await admin.client.get(`/api/v1/people/${person.id}`);
    expect(read.body).toMatchObject({ organizationId: null, version: person.version + 1 });
    const entries = await auditActions(person.id);
    expect(entries.at(-1)).toMatchObject({
      action: 'person.organization_detached',
      before: { organizationId: org.id },
    });
    const restored = await admin.client.post(`/api/v1/organizations/${org.id}/restore`);
    expect(restored.status).toBe(200);
    expect((await admin.client.get(`/api/v1/people/${person.id}`)).body.organizationId).toBe(org.id);
  });
});

describe('recently deleted people', () => {
  it('lists restorable deleted people newest first, page by page, with who deleted them', async () => {
    const { client, user } = await signedInUser(t, 'admin');
    const ids: string[] = [];
    for (const name of ['Ann', 'Ben', 'Cal', 'Dee', 'Eve']) {
      ids.push((await created(client, '/api/v1/people', { givenName: name })).id);
    }
    const live = await created(client, '/api/v1/people', { givenName: 'Live' });
    for (const id of ids) expect((await client.delete(`/api/v1/people/${id}`)).status).toBe(204);
    const bulk = await created(client, '/api/v1/people', { givenName: 'Bulk' });
    const bulkDeleted = await client.post('/api/v1/people/bulk', { action: 'delete', ids: [bulk.id] });
    expect(bulkDeleted.status, JSON.stringify(bulkDeleted.body)).toBe(200);
    // Deleted too long ago to restore, and merged: neither is listed.
    const old = await created(client, '/api/v1/people', { givenName: 'Old' });
    await t.database.db
      .updateTable('people')
      .set({ deleted_at: new Date(Date.now() - 31 * 86_400_000) })
      .where('id', '=', old.id)
      .execute();
    const survivor = await created(client, '/api/v1/people', { givenName: 'Survivor' });
    const merged = await created(client, '/api/v1/people', { givenName: 'Merged' });
    const merge = await client.post(`/api/v1/people/${survivor.id}/merge`, { otherId: merged.id });
    expect(merge.status, JSON.stringify(merge.body)).toBe(200);

    const seen = await walk(client, '/api/v1/people/deleted', 2);
    expect(seen.map((row) => row.id)).toEqual([bulk.id, ...ids.reverse()]);
    const first = await client.get('/api/v1/people/deleted?limit=1');
    expect(first.body.data[0]).toMatchObject({
      id: bulk.id,
      displayName: 'Bulk',
      deletedBy: { id: user.id, name: user.name },
    });
    const { deletedAt, restorableUntil } = first.body.data[0];
    expect(Date.parse(restorableUntil) - Date.parse(deletedAt)).toBe(30 * 86_400_000);
    expect(seen.map((row) => row.id)).not.toContain(live.id);

    // One of them, by id (the deleted person's page); a live or unknown one is 404.
    const one = await client.get(`/api/v1/people/deleted/${ids[0]}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: ids[0], deletedBy: { name: user.name } });
    expect((await client.get(`/api/v1/people/deleted/${live.id}`)).status).toBe(404);
    expect((await client.get(`/api/v1/people/deleted/${merged.id}`)).status).toBe(404);

    // Restoring from the list: the person is back, and leaves the list.
    const restored = await client.post(`/api/v1/people/${ids[0]}/restore`);
    expect(restored.status).toBe(200);
    expect((await client.get(`/api/v1/people/${ids[0]}`)).status).toBe(200);
    const after = await walk(client, '/api/v1/people/deleted', 50);
    expect(after.map((row) => row.id)).not.toContain(ids[0]);
    expect(after).toHaveLength(5);
  });

  it('is scoped to the workspace and needs people.delete (agents get 403)', async () => {
    const mine = await created(admin.client, '/api/v1/people', { givenName: 'Mine' });
    expect((await admin.client.delete(`/api/v1/people/${mine.id}`)).status).toBe(204);
    const org = await created(admin.client, '/api/v1/organizations', { name: 'Mine Inc' });
    expect((await admin.client.delete(`/api/v1/organizations/${org.id}`)).status).toBe(204);

    const stranger = await signedInUser(t, 'admin');
    expect((await stranger.client.get('/api/v1/people/deleted')).body.data).toEqual([]);
    expect((await stranger.client.get('/api/v1/organizations/deleted')).body.data).toEqual([]);
    expect((await stranger.client.get(`/api/v1/people/deleted/${mine.id}`)).status).toBe(404);
    expect((await stranger.client.get(`/api/v1/organizations/deleted/${org.id}`)).status).toBe(404);
    expect((await stranger.client.post(`/api/v1/people/${mine.id}/restore`)).status).toBe(404);
    const ownIds = (await walk(admin.client, '/api/v1/people/deleted', 50)).map((row) => row.id);
    expect(ownIds).toContain(mine.id);

    const agent = await signedInUser(t, 'agent', admin.workspaceId);
    expect((await agent.client.get('/api/v1/people/deleted')).status).toBe(403);
    expect((await agent.client.get(`/api/v1/people/deleted/${mine.id}`)).status).toBe(403);
    expect((await agent.client.get('/api/v1/organizations/deleted')).status).toBe(403);
    expect((await agent.client.get(`/api/v1/organizations/deleted/${org.id}`)).status).toBe(403);
    const executive = await signedInUser(t, 'executive', admin.workspaceId);
    expect((await executive.client.get('/api/v1/people/deleted')).status).toBe(403);
    const manager = await signedInUser(t, 'manager', admin.workspaceId);
    expect((await manager.client.get('/api/v1/people/deleted')).status).toBe(200);
    expect((await t.client().get('/api/v1/people/deleted')).status).toBe(401);
  });

  it('names no deleter when the deleting user is gone or it was a system write', async () => {
    const { client } = await signedInUser(t, 'admin');
    const person = await created(client, '/api/v1/people', { givenName: 'Orphan' });
    await t.database.db
      .updateTable('people')
      .set({ deleted_at: new Date() })
      .where('id', '=', person.id)
      .execute();
    const listed = await client.get('/api/v1/people/deleted');
    expect(listed.body.data).toEqual([expect.objectContaining({ id: person.id, deletedBy: null })]);
  });

  it('refuses bad input with 4xx', async () => {
    const bad = [
      '/api/v1/people/deleted?after=nonsense',
      `/api/v1/people/deleted?after=${Buffer.from('{"d":"2026-02-30T00:00:00Z","id":"x"}').toString('base64url')}`,
      `/api/v1/people/deleted?after=${Buffer.from('{"d":"1","id":"0190a6c4-5b1e-7000-8000-000000000000"}').toString('base64url')}`,
      '/api/v1/people/deleted?limit=0',
      '/api/v1/people/deleted?limit=1000',
      '/api/v1/people/deleted?unknown=1',
      '/api/v1/organizations/deleted?after=%00',
    ];
    for (const url of bad) {
      const response = await admin.client.get(url);
      expect(response.status, url).toBe(400);
      expect(response.body.detail, url).toBeTruthy();
    }
    const cursor = await admin.client.get('/api/v1/people/deleted?after=nonsense');
    expect(cursor.body.errors).toEqual([{ path: 'query.after', message: expect.any(String) }]);
    expect((await admin.client.get('/api/v1/people/deleted/not-a-uuid')).status).toBe(400);
    expect((await admin.client.post('/api/v1/people/not-a-uuid/restore')).status).toBe(400);
    expect((await admin.client.post('/api/v1/organizations/not-a-uuid/restore')).status).toBe(400);
    const live = await created(admin.client, '/api/v1/people', { givenName: 'Alive' });
    expect((await admin.client.post(`/api/v1/people/${live.id}/restore`)).status).toBe(409);
  });
});
