import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyAddress } from '../../src/features/items/send.ts';
import { createUser, signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { act, createItem, eventTypes, outboxTo } from './items-helpers.ts';

let t: TestApp;
let agent: Awaited<ReturnType<typeof signedInUser>>;
let other: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  agent = await signedInUser(t, 'agent');
  other = await signedInUser(t, 'agent', agent.workspaceId);
});
afterAll(() => t.close());

const notificationsOf = (userId: string) =>
  t.database.db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('id').execute();

describe('taking and assigning', () => {
  it('of two concurrent takes exactly one wins; the other gets 409 naming the owner', async () => {
    const item = await createItem(agent.client);
    const [a, b] = await Promise.all([
      agent.client.post(`/api/v1/items/${item.id}/take`),
      other.client.post(`/api/v1/items/${item.id}/take`),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const winner = a.status === 200 ? agent : other;
    const loser = a.status === 200 ? b : a;
    expect(loser.body.detail).toBe(
      `${winner.user.name} owns this item already. Ask them, or have someone with the assign permission reassign it.`,
    );
    const row = await t.database.db
      .selectFrom('items')
      .selectAll()
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ owner_id: winner.user.id, status: 'in_progress', version: 2 });
    expect(await eventTypes(t, item.id)).toEqual(['created', 'taken']);
  });

  it('taking an item one owns changes nothing', async () => {
    const item = await createItem(agent.client);
    const first = await act(agent.client, item.id, 'take', undefined);
    const second = await act(agent.client, item.id, 'take', undefined);
    expect(second.version).toBe(first.version);
  });

  it('honours If-Match on actions', async () => {
    const item = await createItem(agent.client);
    await agent.client.patch(`/api/v1/items/${item.id}`, { priority: 'high', version: 1 });
    const stale = await agent.client.post(`/api/v1/items/${item.id}/take`, undefined, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toContain('it is now version 2');
    const fresh = await agent.client.post(
      `/api/v1/items/${item.id}/resolve`,
      { resolution: 'ok' },
      { 'if-match': '"2"' },
    );
    expect(fresh.status).toBe(200);
    expect(fresh.headers.etag).toBe('"3"');
  });

  it('assigning notifies the assignee in the app and by email, and sets their team', async () => {
    const team = { id: crypto.randomUUID(), workspace_id: agent.workspaceId, name: 'Roadside' };
    await t.database.db.insertInto('teams').values(team).execute();
    await t.database.db
      .updateTable('users')
      .set({ team_id: team.id })
      .where('id', '=', other.user.id)
      .execute();
    const item = await createItem(agent.client, { subject: 'Engine noise' });
    const assigned = await act(agent.client, item.id, 'assign', { userId: other.user.id });
    expect(assigned).toMatchObject({ ownerId: other.user.id, teamId: team.id, status: 'new' });
    const notes = await notificationsOf(other.user.id);
    expect(notes.at(-1)).toMatchObject({
      type: 'assignment',
      item_id: item.id,
      title: `#${item.ref} assigned to you: Engine noise`,
    });
    const mail = await outboxTo(t, other.user.email);
    expect(mail.at(-1)?.subject).toBe(`#${item.ref} assigned to you: Engine noise`);
    expect(mail.at(-1)?.text_body).toContain(`/items/${item.id}`);
  });

  it('refuses an assignee who is not an active user of the workspace (422)', async () => {
    const item = await createItem(agent.client);
    const disabled = await createUser(t.database.db, agent.workspaceId, { status: 'disabled' });
    const stranger = await signedInUser(t, 'agent');
    for (const userId of [disabled.id, stranger.user.id]) {
      const response = await agent.client.post(`/api/v1/items/${item.id}/assign`, { userId });
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([
        { path: 'body.userId', message: 'is not an active user of this workspace.' },
      ]);
    }
  });

  it('an executive can read but not assign', async () => {
    const executive = await signedInUser(t, 'executive', agent.workspaceId);
    const item = await createItem(agent.client);
    expect((await executive.client.get(`/api/v1/items/${item.id}`)).status).toBe(200);
    const response = await executive.client.post(`/api/v1/items/${item.id}/assign`, {
      userId: agent.user.id,
    });
    expect(response.status).toBe(403);
    const bulk = await executive.client.post('/api/v1/items/bulk', {
      ids: [item.id],
      action: 'assign',
      userId: agent.user.id,
    });
    expect(bulk.status).toBe(403);
    expect(bulk.body.detail).toContain('items.assign');
  });
});

describe('escalating by hand', () => {
  it('raises the level, notifies that level, and refuses the same or a lower level', async () => {
    const manager = await createUser(t.database.db, agent.workspaceId, { role: 'manager' });
    const item = await createItem(agent.client);
    const raised = await act(agent.client, item.id, 'escalate', {
      level: 'manager',
      reason: 'Third time this week',
    });
    expect(raised).toMatchObject({ escalationLevel: 'manager', version: 2 });
    expect((await notificationsOf(manager.id)).at(-1)).toMatchObject({
      type: 'escalation',
      item_id: item.id,
    });
    for (const level of ['manager', 'lead']) {
      const response = await agent.client.post(`/api/v1/items/${item.id}/escalate`, {
        level,
        reason: 'again',
      });
      expect(response.status).toBe(409);
      expect(response.body.detail).toContain('already at the Manager level');
    }
  });
});

describe('internal notes', () => {
  it('are never sent, and @mentions by name without spaces or email local part notify', async () => {
    const ana = await createUser(t.database.db, agent.workspaceId, {
      name: 'Ana Souza',
      email: 'ana.s@example.com',
    });
    const ben = await createUser(t.database.db, agent.workspaceId, {
      name: 'Ben Li',
      email: 'benli@example.com',
    });
    const carl = await createUser(t.database.db, agent.workspaceId, {
      name: 'Carl',
      email: 'carl@example.com',
    });
    const item = await createItem(agent.client, { reporterEmail: 'driver@example.com' });
    const before = (await outboxTo(t, 'driver@example.com')).length;
    await act(agent.client, item.id, 'note', {
      body: 'Ask @anasouza and @ANA.S, (@benli.) — not carl@x.com or @nobody',
    });
    expect((await outboxTo(t, 'driver@example.com')).length).toBe(before);
    const notes = await t.database.db
      .selectFrom('item_messages')
      .select(['kind', 'body_text', 'author_user_id'])
      .where('item_id', '=', item.id)
      .execute();
    expect(notes).toEqual([expect.objectContaining({ kind: 'note', author_user_id: agent.user.id })]);
    expect(await notificationsOf(ana.id)).toHaveLength(1);
    expect((await notificationsOf(ana.id))[0]).toMatchObject({ type: 'mention', item_id: item.id });
    expect(await notificationsOf(ben.id)).toHaveLength(1);
    expect(await notificationsOf(carl.id)).toHaveLength(0);
    expect(await outboxTo(t, 'ana.s@example.com')).toHaveLength(1);
  });
});

describe('informing and thanking by email', () => {
  it('sends to the customer and to the customers of merged items, each by name, with the reply address', async () => {
    const item = await createItem(agent.client, {
      reporterEmail: 'first@example.com',
      reporterName: 'Fay First',
    });
    const duplicate = await createItem(agent.client, {
      reporterEmail: 'second@example.com',
      reporterName: 'Sam Second',
    });
    await t.database.db
      .updateTable('items')
      .set({ merged_into_id: item.id, status: 'closed', closed_at: new Date() })
      .where('id', '=', duplicate.id)
      .execute();
    await act(agent.client, item.id, 'resolve', { resolution: 'Firmware update' });
    const informed = await act(agent.client, item.id, 'inform', {
      how: 'email',
      summary: 'Hello {{name}}, a firmware update fixes it.',
      send: true,
    });
    expect(informed.informedAt).not.toBeNull();
    const first = await outboxTo(t, 'first@example.com');
    const second = await outboxTo(t, 'second@example.com');
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect(first[0]).toMatchObject({ subject: `Re: The car will not start [#${item.ref}]` });
    expect(first[0]!.text_body).toBe('Hello Fay First, a firmware update fixes it.');
    expect(second[0]!.text_body).toBe('Hello Sam Second, a firmware update fixes it.');
    const row = await t.database.db
      .selectFrom('items')
      .select('reply_token')
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(first[0]!.reply_to).toBe(replyAddress(t.config, row.reply_token));

    const thanked = await act(agent.client, item.id, 'thank', { how: 'email' });
    expect(thanked.thankedAt).not.toBeNull();
    const thanks = await outboxTo(t, 'second@example.com');
    expect(thanks).toHaveLength(2);
    expect(thanks[1]!.subject).toBe(`Thank you [#${item.ref}]`);
    expect(thanks[1]!.text_body).toContain('Hello Sam Second');
    expect(thanks[1]!.text_body).toContain('Thank you for your complaint');
    const messages = await t.database.db
      .selectFrom('item_messages')
      .select('kind')
      .where('item_id', '=', item.id)
      .execute();
    expect(messages.filter((message) => message.kind === 'outbound')).toHaveLength(4);
  });

  it('sends a personal thank-you as written', async () => {
    const item = await createItem(agent.client, { kind: 'praise', reporterEmail: 'fan@example.com' });
    await act(agent.client, item.id, 'thank', { how: 'email', body: 'Dear {{name}}, that made our day.' });
    const [mail] = await outboxTo(t, 'fan@example.com');
    expect(mail!.text_body).toBe('Dear fan, that made our day.');
  });

  it('refuses to send when no email is known, and send=true without how=email', async () => {
    const item = await createItem(agent.client);
    const noEmail = await agent.client.post(`/api/v1/items/${item.id}/inform`, {
      how: 'email',
      summary: 'x',
      send: true,
    });
    expect(noEmail.status).toBe(422);
    expect(noEmail.body.errors[0].path).toBe('body.send');
    const byPhone = await agent.client.post(`/api/v1/items/${item.id}/inform`, {
      how: 'phone',
      summary: 'x',
      send: true,
    });
    expect(byPhone.status).toBe(422);
    const thank = await agent.client.post(`/api/v1/items/${item.id}/thank`, { how: 'email' });
    expect(thank.status).toBe(422);
    const recorded = await act(agent.client, item.id, 'inform', { how: 'phone', summary: 'Called them' });
    expect(recorded.informedAt).not.toBeNull();
  });
});

describe('bulk', () => {
  it('takes, assigns and tags many items, all or nothing, naming each refused id', async () => {
    const a = await createItem(agent.client);
    const b = await createItem(agent.client);
    const c = await createItem(agent.client);
    await act(other.client, c.id, 'take', undefined);
    const refused = await agent.client.post('/api/v1/items/bulk', {
      ids: [a.id, c.id, b.id],
      action: 'take',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      { path: 'body.ids.1', message: `#${c.ref} is owned by ${other.user.name} already.` },
    ]);
    const untouched = await t.database.db
      .selectFrom('items')
      .select('owner_id')
      .where('id', 'in', [a.id, b.id])
      .execute();
    expect(untouched.every((row) => row.owner_id === null)).toBe(true);

    const taken = await agent.client.post('/api/v1/items/bulk', { ids: [a.id, b.id], action: 'take' });
    expect(taken.body).toEqual({ changed: 2, ids: expect.arrayContaining([a.id, b.id]) });
    const tagged = await agent.client.post('/api/v1/items/bulk', {
      ids: [a.id, b.id, c.id],
      action: 'add_tags',
      tags: ['fleet', 'urgent'],
    });
    expect(tagged.status).toBe(200);
    await agent.client.post('/api/v1/items/bulk', { ids: [a.id], action: 'remove_tags', tags: ['urgent'] });
    expect((await agent.client.get(`/api/v1/items/${a.id}`)).body.tags).toEqual(['fleet']);
    expect((await agent.client.get(`/api/v1/items/${b.id}`)).body.tags).toEqual(['fleet', 'urgent']);

    const assigned = await agent.client.post('/api/v1/items/bulk', {
      ids: [a.id, b.id],
      action: 'assign',
      userId: other.user.id,
    });
    expect(assigned.body.changed).toBe(2);
    const notes = await notificationsOf(other.user.id);
    expect(notes.at(-1)).toMatchObject({ type: 'assignment', title: '2 items assigned to you' });
    expect(await eventTypes(t, a.id)).toEqual(['created', 'taken', 'tags_added', 'tags_removed', 'assigned']);

    const stranger = await signedInUser(t, 'agent');
    const foreign = await stranger.client.post('/api/v1/items/bulk', {
      ids: [a.id],
      action: 'add_tags',
      tags: ['x'],
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors[0].message).toBe(`${a.id} is not an item of this workspace.`);
  });
});
