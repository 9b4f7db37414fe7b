import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify } from '../../src/features/notifications/notify.ts';
import { createUser, signedInUser, signIn } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let ana: Awaited<ReturnType<typeof signedInUser>>;
let ben: Awaited<ReturnType<typeof signedInUser>>;
let outsider: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  ana = await signedInUser(t, 'agent');
  ben = await signedInUser(t, 'agent', ana.workspaceId);
  outsider = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

async function send(workspaceId: string, userIds: string[], title: string, exceptUserId?: string) {
  return t.database.db
    .transaction()
    .execute((tx) =>
      notify(tx, { workspaceId, userIds, type: 'assignment', title, body: `About ${title}`, exceptUserId }),
    );
}

const titles = (body: { data: { title: string }[] }) => body.data.map((n) => n.title);

describe('notifications', () => {
  it('lists only the caller’s own notifications, newest first, a page at a time', async () => {
    for (let i = 1; i <= 5; i++) await send(ana.workspaceId, [ana.user.id], `For Ana ${i}`);
    await send(ana.workspaceId, [ben.user.id], 'For Ben');
    await send(outsider.workspaceId, [outsider.user.id], 'For the outsider');

    const first = await ana.client.get('/api/v1/notifications?limit=2');
    expect(first.status).toBe(200);
    expect(titles(first.body)).toEqual(['For Ana 5', 'For Ana 4']);
    expect(first.body.data[0]).toMatchObject({ type: 'assignment', body: 'About For Ana 5', readAt: null });
    const second = await ana.client.get(`/api/v1/notifications?limit=2&after=${first.body.next}`);
    expect(titles(second.body)).toEqual(['For Ana 3', 'For Ana 2']);
    const third = await ana.client.get(`/api/v1/notifications?limit=2&after=${second.body.next}`);
    expect(titles(third.body)).toEqual(['For Ana 1']);
    expect(third.body.next).toBeNull();

    expect(titles((await ben.client.get('/api/v1/notifications')).body)).toEqual(['For Ben']);
    expect(titles((await outsider.client.get('/api/v1/notifications')).body)).toEqual(['For the outsider']);
    expect((await ana.client.get('/api/v1/notifications/unread-count')).body).toEqual({ unread: 5 });
    expect((await ben.client.get('/api/v1/notifications/unread-count')).body).toEqual({ unread: 1 });
  });

  it('emails each notified user through the outbox and skips the actor', async () => {
    const count = await send(ana.workspaceId, [ana.user.id, ben.user.id], 'Both of you', ana.user.id);
    expect(count).toBe(1);
    const mail = await t.database.db
      .selectFrom('outbox')
      .select(['to_address', 'subject'])
      .where('subject', '=', 'Both of you')
      .execute();
    expect(mail).toEqual([{ to_address: ben.user.email, subject: 'Both of you' }]);
  });

  it('marks chosen notifications read, ignoring ids that are not the caller’s', async () => {
    const list = await ana.client.get('/api/v1/notifications?limit=2');
    const [newest, second] = list.body.data;
    const bens = (await ben.client.get('/api/v1/notifications')).body.data;
    const outsiders = (await outsider.client.get('/api/v1/notifications')).body.data;

    const marked = await ana.client.post('/api/v1/notifications/read', {
      ids: [newest.id, bens[0].id, outsiders[0].id],
    });
    expect(marked.status).toBe(200);
    expect(marked.body).toEqual({ unread: 4 });
    // An empty list marks nothing (it once reached the database as `in ()`, a 500).
    const none = await ana.client.post('/api/v1/notifications/read', { ids: [] });
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ unread: 4 });
    expect((await ben.client.get('/api/v1/notifications/unread-count')).body.unread).toBe(bens.length);
    expect((await outsider.client.get('/api/v1/notifications/unread-count')).body.unread).toBe(1);

    const unread = await ana.client.get('/api/v1/notifications?unread=true&limit=50');
    expect(unread.body.data.map((n: { id: string }) => n.id)).not.toContain(newest.id);
    expect(unread.body.data.map((n: { id: string }) => n.id)).toContain(second.id);
    const read = await ana.client.get('/api/v1/notifications?unread=false');
    expect(read.body.data).toHaveLength(1);
    expect(read.body.data[0]).toMatchObject({ id: newest.id });
    expect(Date.parse(read.body.data[0].readAt)).not.toBeNaN();

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'entity_id'])
      .where('action', '=', 'notifications.read')
      .execute();
    expect(audit).toEqual([{ action: 'notifications.read', actor_id: ana.user.id, entity_id: newest.id }]);
  });

  it('marks everything read when no ids are given, and only for the caller', async () => {
    expect((await ana.client.post('/api/v1/notifications/read', {})).body).toEqual({ unread: 0 });
    expect((await ana.client.get('/api/v1/notifications?unread=true')).body.data).toEqual([]);
    expect((await ben.client.get('/api/v1/notifications/unread-count')).body.unread).toBeGreaterThan(0);
    // Nothing left to mark: no second audit entry for an empty change.
    expect((await ana.client.post('/api/v1/notifications/read', {})).body).toEqual({ unread: 0 });
    const entries = await t.database.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'notifications.read')
      .where('actor_id', '=', ana.user.id)
      .execute();
    expect(entries).toHaveLength(2);
  });

  it('caps the unread count at 100', async () => {
    const user = await createUser(t.database.db, ana.workspaceId);
    const values = Array.from({ length: 130 }, (_, i) => ({
      id: crypto.randomUUID(),
      workspace_id: ana.workspaceId,
      user_id: user.id,
      type: 'mention' as const,
      title: `n${i}`,
    }));
    await t.database.db.insertInto('notifications').values(values).execute();
    const client = t.client();
    await signIn(client, user.email);
    expect((await client.get('/api/v1/notifications/unread-count')).body).toEqual({ unread: 100 });
  });

  it('refuses bad input with a message that says what to fix', async () => {
    const badIds = await ana.client.post('/api/v1/notifications/read', { ids: ['nope'] });
    expect(badIds.status).toBe(400);
    expect(JSON.stringify(badIds.body)).toContain('UUID');
    const badCursor = await ana.client.get('/api/v1/notifications?after=garbage');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.detail).toContain('next');
    const extra = await ana.client.post('/api/v1/notifications/read', { ids: [], all: true });
    expect(extra.status).toBe(400);
    const anonymous = await t.client().get('/api/v1/notifications');
    expect(anonymous.status).toBe(401);
  });
});
