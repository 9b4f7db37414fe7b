import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let agent: Awaited<ReturnType<typeof signedInUser>>;
let executive: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  agent = await signedInUser(t, 'agent', admin.workspaceId);
  executive = await signedInUser(t, 'executive', admin.workspaceId);
});
afterAll(() => t.close());

async function createView(client: Client, body: Record<string, unknown>) {
  const response = await client.post('/api/v1/views', { entity: 'person', ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}
const names = (body: { data: { name: string }[] }) => body.data.map((view) => view.name).sort();

describe('saved views', () => {
  it('saves a view with its query and columns, and audits it', async () => {
    const view = await createView(agent.client, {
      name: ' Quiet customers ',
      query: { stage: ['customer'], lastContactedBefore: '2024-01-01T00:00:00Z', sort: '-lastContactedAt' },
      columns: ['displayName', 'emails', 'lastContactedAt'],
    });
    expect(view).toMatchObject({
      name: 'Quiet customers',
      entity: 'person',
      shared: false,
      ownerId: agent.user.id,
      query: { stage: ['customer'], sort: '-lastContactedAt' },
      columns: ['displayName', 'emails', 'lastContactedAt'],
      version: 1,
    });
    const read = await agent.client.get(`/api/v1/views/${view.id}`);
    expect(read.body).toEqual(view);
    const entry = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_id', '=', view.id)
      .executeTakeFirstOrThrow();
    expect(entry).toEqual({ action: 'saved_view.created', actor_id: agent.user.id });
  });

  it('shows private views only to their owner and shared views to the whole workspace', async () => {
    const mine = await createView(executive.client, { name: 'Exec private' });
    const shared = await createView(executive.client, { name: 'Exec shared', shared: true });
    await createView(executive.client, { name: 'Exec orgs', entity: 'organization', shared: true });
    expect(names((await executive.client.get('/api/v1/views?entity=person')).body)).toEqual(
      ['Exec private', 'Exec shared'].sort(),
    );
    const seenByAgent = names((await agent.client.get('/api/v1/views?entity=person')).body);
    expect(seenByAgent).toContain('Exec shared');
    expect(seenByAgent).not.toContain('Exec private');
    expect((await agent.client.get(`/api/v1/views/${mine.id}`)).status).toBe(404);
    expect((await agent.client.get(`/api/v1/views/${shared.id}`)).status).toBe(200);
    expect((await agent.client.patch(`/api/v1/views/${mine.id}`, { name: 'x', version: 1 })).status).toBe(
      404,
    );
  });

  it('lets only the owner or an admin change or delete a shared view', async () => {
    const shared = await createView(agent.client, { name: 'Agent shared', shared: true });
    const refused = await executive.client.patch(`/api/v1/views/${shared.id}`, {
      name: 'Mine now',
      version: 1,
    });
    expect(refused.status).toBe(403);
    expect((await executive.client.delete(`/api/v1/views/${shared.id}`)).status).toBe(403);
    const renamed = await agent.client.patch(`/api/v1/views/${shared.id}`, { name: 'Renamed', version: 1 });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Renamed', version: 2 });
    const byAdmin = await admin.client.patch(`/api/v1/views/${shared.id}`, {
      columns: ['displayName'],
      version: 2,
    });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.ownerId).toBe(agent.user.id);
    expect((await admin.client.delete(`/api/v1/views/${shared.id}`)).status).toBe(204);
    expect((await agent.client.get(`/api/v1/views/${shared.id}`)).status).toBe(404);
  });

  it('answers 409 to a stale version', async () => {
    const view = await createView(agent.client, { name: 'Versioned' });
    expect((await agent.client.patch(`/api/v1/views/${view.id}`, { shared: true, version: 1 })).status).toBe(
      200,
    );
    const stale = await agent.client.patch(`/api/v1/views/${view.id}`, { shared: false, version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toContain('version 2');
    expect((await agent.client.delete(`/api/v1/views/${view.id}`, { 'if-match': '"1"' })).status).toBe(409);
  });

  it('refuses bad input with the field to fix', async () => {
    const noName = await agent.client.post('/api/v1/views', { entity: 'person', name: ' ' });
    expect(noName.status).toBe(400);
    expect(noName.body.errors[0].path).toBe('body.name');
    const cursor = await agent.client.post('/api/v1/views', {
      entity: 'person',
      name: 'x',
      query: { after: 'abc' },
    });
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors[0].path).toBe('body.query');
    const entity = await agent.client.post('/api/v1/views', { entity: 'deal', name: 'x' });
    expect(entity.status).toBe(400);
  });

  it('pages through the list with a cursor', async () => {
    const owner = await signedInUser(t, 'manager');
    for (const name of ['a', 'b', 'c']) await createView(owner.client, { name });
    const first = await owner.client.get('/api/v1/views?limit=2');
    expect(first.body.data).toHaveLength(2);
    const second = await owner.client.get(`/api/v1/views?limit=2&after=${first.body.next}`);
    expect(second.body).toMatchObject({ data: [{ name: 'c' }], next: null });
  });

  it('keeps workspaces apart', async () => {
    const shared = await createView(agent.client, { name: 'Ours', shared: true });
    const other = await signedInUser(t, 'admin');
    expect(names((await other.client.get('/api/v1/views')).body)).toEqual([]);
    expect((await other.client.get(`/api/v1/views/${shared.id}`)).status).toBe(404);
    expect((await other.client.patch(`/api/v1/views/${shared.id}`, { name: 'x', version: 1 })).status).toBe(
      404,
    );
    expect((await other.client.delete(`/api/v1/views/${shared.id}`)).status).toBe(404);
  });
});
