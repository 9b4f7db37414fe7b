import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { createUser, signedInUser, signIn } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';
import { createPerson, eventsOf, plantItem, plantItems } from './helpers/listening-items.ts';

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
  const user = await createUser(t.database.db, ws, { role: 'agent' });
  agentId = user.id;
  agent = t.client();
  await signIn(agent, user.email);
});
afterAll(() => t.close());

const row = (id: string) =>
  t.database.db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const merge = (client: Client, survivorId: string, otherId: string) =>
  client.post(`/api/v1/items/${survivorId}/merge`, { otherId });

async function vote(itemId: string, voter: { personId?: string; userId?: string }) {
  await t.database.db
    .insertInto('item_votes')
    .values({
      id: newId(),
      workspace_id: ws,
      item_id: itemId,
      person_id: voter.personId ?? null,
      user_id: voter.userId ?? null,
    })
    .execute();
}

describe('merging duplicate items', () => {
  it('closes the duplicate, moves its votes without double votes and keeps its observations', async () => {
    const ana = await createPerson(admin.client, 'Ana Voter', null);
    const bob = await createPerson(admin.client, 'Bob Voter', null);
    const [survivor, duplicate] = await plantItems(t.database.db, ws, [
      { kind: 'suggestion', subject: 'Dark mode' },
      { kind: 'suggestion', subject: 'Night theme please' },
    ]);
    await vote(survivor!.id, { personId: ana });
    await vote(survivor!.id, { userId: agentId });
    await vote(duplicate!.id, { personId: ana }); // Ana voted on both: she keeps one vote
    await vote(duplicate!.id, { personId: bob });
    await vote(duplicate!.id, { userId: admin.user.id });
    await t.database.db.updateTable('items').set({ vote_count: 2 }).where('id', '=', survivor!.id).execute();
    await agent.post(`/api/v1/items/${duplicate!.id}/observations`, { key: 'platform', value: 'iOS' });

    const merged = await merge(agent, survivor!.id, duplicate!.id);
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body).toMatchObject({ id: survivor!.id, voteCount: 4, status: 'new' });

    const other = await row(duplicate!.id);
    expect(other).toMatchObject({
      status: 'closed',
      close_reason: `duplicate of #${survivor!.ref}`,
      merged_into_id: survivor!.id,
      vote_count: 0,
      version: 2,
    });
    expect(other.closed_at).not.toBeNull();
    const votes = await t.database.db
      .selectFrom('item_votes')
      .select(['item_id', 'person_id', 'user_id'])
      .where('item_id', 'in', [survivor!.id, duplicate!.id])
      .execute();
    expect(votes).toHaveLength(4);
    expect(votes.every((v) => v.item_id === survivor!.id)).toBe(true);
    const observations = await t.database.db
      .selectFrom('item_observations')
      .select(['item_id', 'key'])
      .where('item_id', 'in', [survivor!.id, duplicate!.id])
      .execute();
    expect(observations).toEqual([{ item_id: duplicate!.id, key: 'platform' }]);

    const survivorEvents = await eventsOf(t.database.db, survivor!.id);
    expect(survivorEvents.at(-1)).toMatchObject({
      type: 'merged',
      actor_id: agentId,
      data: { otherId: duplicate!.id, otherRef: duplicate!.ref, movedVotes: 2 },
    });
    const otherEvents = await eventsOf(t.database.db, duplicate!.id);
    expect(otherEvents.at(-1)).toMatchObject({
      type: 'merged_into',
      data: { intoId: survivor!.id, intoRef: survivor!.ref },
    });
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', survivor!.id)
      .where('action', '=', 'item.merged')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('keeps every customer: informing and thanking the survivor reaches the duplicates’ customers', async () => {
    const ana = await createPerson(admin.client, 'Ana Merged', 'ana.merged@example.com');
    const bob = await createPerson(admin.client, 'Bob Merged', 'bob.merged@example.com');
    const [survivor, first, second] = await plantItems(t.database.db, ws, [
      { personId: ana, subject: 'Door broken' },
      { personId: bob, subject: 'Door does not close' },
      { reporterName: 'Cleo Walk-in', reporterEmail: 'cleo@example.com', subject: 'Door' },
    ]);
    // Chains collapse: second → first, then first → survivor, so second now points at the survivor.
    expect((await merge(agent, first!.id, second!.id)).status).toBe(200);
    expect((await merge(agent, survivor!.id, first!.id)).status).toBe(200);
    expect((await row(second!.id)).merged_into_id).toBe(survivor!.id);
    expect((await eventsOf(t.database.db, second!.id)).at(-1)).toMatchObject({
      type: 'merged_into',
      data: { intoId: survivor!.id, via: first!.id },
    });

    const informed = await agent.post(`/api/v1/items/${survivor!.id}/inform`, {
      how: 'email',
      summary: 'The door is repaired.',
      send: true,
    });
    expect(informed.status, JSON.stringify(informed.body)).toBe(200);
    const thanked = await agent.post(`/api/v1/items/${survivor!.id}/thank`, { how: 'email' });
    expect(thanked.status, JSON.stringify(thanked.body)).toBe(200);
    const mails = await t.database.db
      .selectFrom('outbox')
      .select(['to_address', 'text_body'])
      .where('entity_id', '=', survivor!.id)
      .execute();
    const recipients = mails.map((mail) => mail.to_address).sort();
    expect(recipients).toEqual([
      'ana.merged@example.com',
      'ana.merged@example.com',
      'bob.merged@example.com',
      'bob.merged@example.com',
      'cleo@example.com',
      'cleo@example.com',
    ]);
  });

  it('asks to close the loop again when a duplicate from a customer not yet told arrives', async () => {
    const [survivor, duplicate] = await plantItems(t.database.db, ws, [{ status: 'resolved' }, {}]);
    await t.database.db
      .updateTable('items')
      .set({ informed_at: new Date(), thanked_at: new Date() })
      .where('id', '=', survivor!.id)
      .execute();
    const merged = await merge(agent, survivor!.id, duplicate!.id);
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ informedAt: null, thankedAt: null });
    expect((await eventsOf(t.database.db, survivor!.id)).at(-1)).toMatchObject({
      type: 'merged',
      data: { informedAndThankedCleared: true },
    });
  });

  it('carries the problem link over when only the duplicate had one', async () => {
    const [survivor, duplicate] = await plantItems(t.database.db, ws, [{}, {}]);
    const problem = await agent.post('/api/v1/problems', {
      title: 'Linked duplicate',
      itemIds: [duplicate!.id],
    });
    const merged = await merge(agent, survivor!.id, duplicate!.id);
    expect(merged.body.problemId).toBe(problem.body.id);
    expect((await row(duplicate!.id)).problem_id).toBeNull();
    const read = await agent.get(`/api/v1/problems/${problem.body.id}`);
    expect(read.body.itemCount).toBe(1);
  });

  it('moves the time spent on the duplicate to the survivor, so the cost counts it once', async () => {
    const [survivor, duplicate, untimed] = await plantItems(t.database.db, ws, [{}, {}, {}]);
    await agent.post(`/api/v1/items/${survivor!.id}/time`, { minutes: 10 });
    await agent.post(`/api/v1/items/${duplicate!.id}/time`, { minutes: 25 });
    const merged = await merge(agent, survivor!.id, duplicate!.id);
    expect(merged.status).toBe(200);
    expect(merged.body.handlingMinutes).toBe(35);
    const events = await eventsOf(t.database.db, survivor!.id);
    expect(events.find((event) => event.type === 'merged')?.data).toMatchObject({ carriedMinutes: 25 });
    // A duplicate without recorded time leaves the survivor's total alone.
    expect((await merge(agent, survivor!.id, untimed!.id)).body.handlingMinutes).toBe(35);
  });

  it("makes a duplicate follow the survivor's problem when both had one", async () => {
    const [survivor, duplicate] = await plantItems(t.database.db, ws, [{}, {}]);
    const kept = await agent.post('/api/v1/problems', { title: 'Kept', itemIds: [survivor!.id] });
    const left = await agent.post('/api/v1/problems', { title: 'Left', itemIds: [duplicate!.id] });
    const merged = await merge(agent, survivor!.id, duplicate!.id);
    expect(merged.body.problemId).toBe(kept.body.id);
    expect((await row(duplicate!.id)).problem_id).toBeNull();
    expect((await eventsOf(t.database.db, duplicate!.id)).at(-1)).toMatchObject({
      type: 'merged_into',
      data: { leftProblemId: left.body.id },
    });
    expect((await agent.get(`/api/v1/problems/${left.body.id}`)).body.itemCount).toBe(0);
  });

  it('refuses merging into itself, merged or closed items, and items of another workspace', async () => {
    const [a, b, c, closed] = await plantItems(t.database.db, ws, [{}, {}, {}, { status: 'closed' }]);
    const self = await merge(agent, a!.id, a!.id);
    expect(self.status).toBe(422);
    expect(self.body.errors[0].path).toBe('body.otherId');
    expect((await merge(agent, a!.id, b!.id)).status).toBe(200);
    const again = await merge(agent, c!.id, b!.id);
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain(`already merged into #${a!.ref}`);
    const intoMerged = await merge(agent, b!.id, c!.id);
    expect(intoMerged.status).toBe(409);
    const intoClosed = await merge(agent, closed!.id, c!.id);
    expect(intoClosed.status).toBe(409);
    expect(intoClosed.body.detail).toMatch(/reopen it/);

    const foreign = await plantItem(t.database.db, outsider.workspaceId);
    const crossOther = await merge(agent, c!.id, foreign.id);
    expect(crossOther.status).toBe(422);
    expect(crossOther.body.errors[0]).toEqual({
      path: 'body.otherId',
      message: 'is not an item of this workspace.',
    });
    const crossSurvivor = await merge(outsider.client, c!.id, foreign.id);
    expect(crossSurvivor.status).toBe(404);
    expect((await row(c!.id)).status).toBe('new');
    expect((await row(foreign.id)).status).toBe('new');
  });

  it('two opposite merges at once: one wins, the other is refused', async () => {
    const [a, b] = await plantItems(t.database.db, ws, [{}, {}]);
    const results = await Promise.all([merge(agent, a!.id, b!.id), merge(admin.client, b!.id, a!.id)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const rows = [await row(a!.id), await row(b!.id)];
    expect(rows.filter((r) => r.merged_into_id !== null)).toHaveLength(1);
  });

  it('needs items.merge: executives may not merge', async () => {
    const executive = await signedInUser(t, 'executive', ws);
    const [a, b] = await plantItems(t.database.db, ws, [{}, {}]);
    expect((await merge(executive.client, a!.id, b!.id)).status).toBe(403);
  });
});
