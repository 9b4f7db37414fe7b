import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signedInUser, signIn } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';
import { createPerson, eventsOf, plantItem } from './helpers/listening-items.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let outsider: Awaited<ReturnType<typeof signedInUser>>;
let agent: Client;
let agentId: string;
let ws: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  ws = admin.workspaceId;
  outsider = await signedInUser(t, 'admin');
  const user = await createUser(t.database.db, ws, { role: 'agent', name: 'Vera Agent' });
  agentId = user.id;
  agent = t.client();
  await signIn(agent, user.email);
});
afterAll(() => t.close());

const voteCount = async (id: string) =>
  (
    await t.database.db
      .selectFrom('items')
      .select('vote_count')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).vote_count;

describe('votes on suggestions', () => {
  it("records staff votes and customers' votes, lists who voted and keeps the count in step", async () => {
    const suggestion = await plantItem(t.database.db, ws, { kind: 'suggestion' });
    const ana = await createPerson(admin.client, 'Ana Customer', null);
    const url = `/api/v1/items/${suggestion.id}/vote`;

    const own = await agent.post(url, {});
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(own.body).toMatchObject({
      voteCount: 1,
      vote: { userId: agentId, userName: 'Vera Agent', personId: null, personName: null },
    });
    const forAna = await agent.post(url, { personId: ana });
    expect(forAna.body).toMatchObject({
      voteCount: 2,
      vote: { personId: ana, personName: 'Ana Customer', userId: null },
    });
    const byAdmin = await admin.client.post(url, {});
    expect(byAdmin.status).toBe(201);
    expect(await voteCount(suggestion.id)).toBe(3);

    const first = await agent.get(`/api/v1/items/${suggestion.id}/votes?limit=2`);
    expect(first.status).toBe(200);
    expect(
      first.body.data.map((v: { userId: string | null; personId: string | null }) => v.userId ?? v.personId),
    ).toEqual([admin.user.id, ana]);
    const rest = await agent.get(`/api/v1/items/${suggestion.id}/votes?limit=2&after=${first.body.next}`);
    expect(rest.body).toMatchObject({ data: [{ userId: agentId }], next: null });

    const events = await eventsOf(t.database.db, suggestion.id);
    expect(events.map((event) => event.type)).toEqual(['voted', 'voted', 'voted']);
    expect(events[1]).toMatchObject({ actor_id: agentId, data: { personId: ana, voteCount: 2 } });

    const withdrawn = await agent.delete(`${url}?personId=${ana}`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toEqual({ voteCount: 2, vote: null });
    const ownWithdrawn = await agent.delete(url);
    expect(ownWithdrawn.body.voteCount).toBe(1);
    expect(await voteCount(suggestion.id)).toBe(1);
    expect((await eventsOf(t.database.db, suggestion.id)).at(-1)).toMatchObject({
      type: 'vote_withdrawn',
      data: { userId: agentId, voteCount: 1 },
    });
  });

  it('refuses double votes (409), also when two arrive at once', async () => {
    const suggestion = await plantItem(t.database.db, ws, { kind: 'suggestion' });
    const bob = await createPerson(admin.client, 'Bob Twice', null);
    const url = `/api/v1/items/${suggestion.id}/vote`;
    await agent.post(url, {});
    const again = await agent.post(url, {});
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe('You have already voted for this suggestion.');
    const both = await Promise.all([
      agent.post(url, { personId: bob }),
      admin.client.post(url, { personId: bob }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await voteCount(suggestion.id)).toBe(2);
  });

  it('only suggestions collect votes; merged ones send you to the survivor', async () => {
    const complaint = await plantItem(t.database.db, ws, { kind: 'complaint' });
    const refused = await agent.post(`/api/v1/items/${complaint.id}/vote`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe(`Only suggestions collect votes; #${complaint.ref} is a complaint.`);
    const survivor = await plantItem(t.database.db, ws, { kind: 'suggestion' });
    const duplicate = await plantItem(t.database.db, ws, { kind: 'suggestion' });
    await agent.post(`/api/v1/items/${survivor.id}/merge`, { otherId: duplicate.id });
    const onMerged = await agent.post(`/api/v1/items/${duplicate.id}/vote`, {});
    expect(onMerged.status).toBe(409);
    expect(onMerged.body.detail).toContain(`merged into #${survivor.ref}`);
  });

  it('validates the person and what is withdrawn', async () => {
    const suggestion = await plantItem(t.database.db, ws, { kind: 'suggestion' });
    const stranger = await createPerson(outsider.client, 'Other Workspace', null);
    const foreignPerson = await agent.post(`/api/v1/items/${suggestion.id}/vote`, { personId: stranger });
    expect(foreignPerson.status).toBe(422);
    expect(foreignPerson.body.errors[0].path).toBe('body.personId');
    const notVoted = await agent.delete(`/api/v1/items/${suggestion.id}/vote`);
    expect(notVoted.status).toBe(404);
    const badCursor = await agent.get(`/api/v1/items/${suggestion.id}/votes?after=nonsense`);
    expect(badCursor.status).toBe(400);
    expect(await voteCount(suggestion.id)).toBe(0);
  });

  it('answers 404 to another workspace, with real ids', async () => {
    const suggestion = await plantItem(t.database.db, ws, { kind: 'suggestion' });
    await agent.post(`/api/v1/items/${suggestion.id}/vote`, {});
    const url = `/api/v1/items/${suggestion.id}/vote`;
    expect((await outsider.client.post(url, {})).status).toBe(404);
    expect((await outsider.client.delete(url)).status).toBe(404);
    expect((await outsider.client.get(`/api/v1/items/${suggestion.id}/votes`)).status).toBe(404);
    expect(await voteCount(suggestion.id)).toBe(1);
  });
});
