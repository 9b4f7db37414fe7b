import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let manager: Awaited<ReturnType<typeof signedInUser>>;
let agent: Awaited<ReturnType<typeof signedInUser>>;
let outsider: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  manager = await signedInUser(t, 'manager', admin.workspaceId);
  agent = await signedInUser(t, 'agent', admin.workspaceId);
  outsider = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

describe('teams', () => {
  it('creates, lists with member counts, refuses duplicates and deletes', async () => {
    const created = await manager.client.post('/api/v1/teams', { name: '  Support NL ' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: 'Support NL', memberCount: 0 });
    const duplicate = await admin.client.post('/api/v1/teams', { name: 'support nl' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.detail).toContain('already exists');
    const empty = await admin.client.post('/api/v1/teams', { name: '' });
    expect(empty.status).toBe(400);

    const second = await admin.client.post('/api/v1/teams', { name: 'Billing' });
    await admin.client.request('PUT', `/api/v1/users/${agent.user.id}/ladder`, {
      ladderLevel: null,
      teamId: created.body.id,
    });
    const firstPage = await agent.client.get('/api/v1/teams?limit=1');
    expect(firstPage.status).toBe(200);
    expect(firstPage.body.data).toEqual([{ ...created.body, memberCount: 1 }]);
    const secondPage = await agent.client.get(`/api/v1/teams?limit=1&after=${firstPage.body.next}`);
    expect(secondPage.body).toEqual({ data: [second.body], next: null });

    const deleted = await admin.client.delete(`/api/v1/teams/${created.body.id}`);
    expect(deleted.status).toBe(204);
    const ladder = await agent.client.get('/api/v1/users/ladder?limit=200');
    expect(ladder.body.data.find((user: { id: string }) => user.id === agent.user.id).teamId).toBeNull();
    expect((await admin.client.delete(`/api/v1/teams/${created.body.id}`)).status).toBe(404);
  });

  it('agents cannot create or delete teams; other workspaces get 404 and see none of ours', async () => {
    const team = await admin.client.post('/api/v1/teams', { name: 'Escalations' });
    expect((await agent.client.post('/api/v1/teams', { name: 'Mine' })).status).toBe(403);
    expect((await agent.client.delete(`/api/v1/teams/${team.body.id}`)).status).toBe(403);
    expect((await outsider.client.delete(`/api/v1/teams/${team.body.id}`)).status).toBe(404);
    expect((await outsider.client.get('/api/v1/teams')).body).toEqual({ data: [], next: null });
    // The same name is free in another workspace.
    expect((await outsider.client.post('/api/v1/teams', { name: 'Escalations' })).status).toBe(201);
  });
});

describe('the escalation ladder', () => {
  it('lists active staff with their effective level; explicit levels override the role', async () => {
    const executive = await createUser(t.database.db, admin.workspaceId, { role: 'executive', name: 'Eve' });
    await createUser(t.database.db, admin.workspaceId, { role: 'agent', status: 'disabled' });
    const team = await admin.client.post('/api/v1/teams', { name: 'Front desk' });
    const put = await manager.client.request('PUT', `/api/v1/users/${agent.user.id}/ladder`, {
      ladderLevel: 'lead',
      teamId: team.body.id,
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({
      id: agent.user.id,
      role: 'agent',
      ladderLevel: 'lead',
      effectiveLevel: 'lead',
      teamId: team.body.id,
      teamName: 'Front desk',
    });
    const list = await agent.client.get('/api/v1/users/ladder');
    expect(list.status).toBe(200);
    const levels = Object.fromEntries(
      list.body.data.map((user: { id: string; effectiveLevel: string }) => [user.id, user.effectiveLevel]),
    );
    expect(levels).toEqual({
      [admin.user.id]: 'manager',
      [manager.user.id]: 'manager',
      [agent.user.id]: 'lead',
      [executive.id]: 'executive',
    });
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'user.ladder_changed')
      .where('entity_id', '=', agent.user.id)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.after).toEqual({ ladderLevel: 'lead', teamId: team.body.id });
  });

  it('refuses a team of another workspace (422), unknown users (404) and agents (403)', async () => {
    const theirTeam = await outsider.client.post('/api/v1/teams', { name: 'Theirs' });
    const foreignTeam = await admin.client.request('PUT', `/api/v1/users/${agent.user.id}/ladder`, {
      ladderLevel: 'lead',
      teamId: theirTeam.body.id,
    });
    expect(foreignTeam.status).toBe(422);
    expect(foreignTeam.body.errors).toEqual([
      { path: 'body.teamId', message: 'is not a team of this workspace.' },
    ]);
    const foreignUser = await admin.client.request('PUT', `/api/v1/users/${outsider.user.id}/ladder`, {
      ladderLevel: 'executive',
      teamId: null,
    });
    expect(foreignUser.status).toBe(404);
    const byAgent = await agent.client.request('PUT', `/api/v1/users/${agent.user.id}/ladder`, {
      ladderLevel: 'executive',
      teamId: null,
    });
    expect(byAgent.status).toBe(403);
    const badLevel = await admin.client.request('PUT', `/api/v1/users/${agent.user.id}/ladder`, {
      ladderLevel: 'boss',
      teamId: null,
    });
    expect(badLevel.status).toBe(400);
    const outsiderLadder = await outsider.client.get('/api/v1/users/ladder');
    expect(outsiderLadder.body.data.map((user: { id: string }) => user.id)).toEqual([outsider.user.id]);
  });

  it('a manual escalation to lead reaches the users set as leads', async () => {
    const lead = await createUser(t.database.db, admin.workspaceId, { role: 'agent', name: 'Lee' });
    await admin.client.request('PUT', `/api/v1/users/${lead.id}/ladder`, {
      ladderLevel: 'lead',
      teamId: null,
    });
    const created = await agent.client.post('/api/v1/items', {
      kind: 'complaint',
      subject: 'Broken',
      reporterName: 'Ann',
      acknowledge: false,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const escalated = await manager.client.post(`/api/v1/items/${created.body.id}/escalate`, {
      level: 'lead',
      reason: 'Customer is upset',
    });
    expect(escalated.status, JSON.stringify(escalated.body)).toBe(200);
    const notified = await t.database.db
      .selectFrom('notifications')
      .select('user_id')
      .where('item_id', '=', created.body.id)
      .where('type', '=', 'escalation')
      .execute();
    expect(notified.map((row) => row.user_id)).toContain(lead.id);
  });
});
