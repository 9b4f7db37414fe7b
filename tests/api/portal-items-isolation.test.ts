// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are checked field by field in tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { portalBase, portalCustomer } from './helpers/portal.ts';
import { act } from './items-helpers.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let elsewhere: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp({ PORTAL_SUBMISSIONS_PER_HOUR: '4' });
  admin = await signedInUser(t, 'admin');
  const other = await createWorkspace(t.database.db, 'Other Ltd');
  elsewhere = await signedInUser(t, 'admin', other.id);
});
afterAll(() => t.close());

const items = `${portalBase}/items`;

async function submit(client: any, body: Record<string, unknown>) {
  const response = await client.post(items, body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as any;
}

/** Every customer route on one item id: all must answer 404 when it is not the caller's. */
async function everyRoute(client: any, id: string) {
  return [
    (await client.get(`${items}/${id}`)).status,
    (await client.post(`${items}/${id}/messages`, { body: 'Let me in' })).status,
    (await client.post(`${items}/${id}/rating`, { rating: 1 })).status,
  ];
}

describe('customers only ever see their own items', () => {
  it("refuses customer A every route on customer B's item, and on another workspace's item, with 404", async () => {
    const a = await portalCustomer(t, admin.workspaceId, 'a@example.com');
    const b = await portalCustomer(t, admin.workspaceId, 'b@example.com');
    const mineA = await submit(a.client, { kind: 'question', subject: 'A asks' });
    const mineB = await submit(b.client, {
      kind: 'complaint',
      subject: 'B-PRIVATE complaint',
      body: 'B-BODY',
    });
    await act(admin.client, mineB.id, 'resolve', { resolution: 'Done for B.' });

    const far = await portalCustomer(t, elsewhere.workspaceId, 'a@example.com');
    const farItem = await submit(far.client, { kind: 'question', subject: 'Elsewhere' });

    expect(await everyRoute(a.client, mineB.id)).toEqual([404, 404, 404]);
    expect(await everyRoute(a.client, farItem.id)).toEqual([404, 404, 404]);
    // The same email in another workspace is another customer.
    expect(await everyRoute(far.client, mineA.id)).toEqual([404, 404, 404]);
    // An id that exists nowhere.
    expect(await everyRoute(a.client, '01900000-0000-7000-8000-000000000000')).toEqual([404, 404, 404]);
    // A customer without a record yet.
    const fresh = await portalCustomer(t, admin.workspaceId, 'fresh@example.com');
    expect(await everyRoute(fresh.client, mineA.id)).toEqual([404, 404, 404]);

    const listA = await a.client.get(items);
    expect(listA.body.data.map((item: any) => item.id)).toEqual([mineA.id]);
    expect(JSON.stringify(listA.body)).not.toContain('B-PRIVATE');
    const listFar = await far.client.get(items);
    expect(listFar.body.data.map((item: any) => item.id)).toEqual([farItem.id]);

    // Nothing was written to B's item by A's attempts.
    const messages = await t.database.db
      .selectFrom('item_messages')
      .select('id')
      .where('item_id', '=', mineB.id)
      .where('body_text', '=', 'Let me in')
      .execute();
    expect(messages).toHaveLength(0);
    const row = await t.database.db
      .selectFrom('items')
      .select(['rating', 'status'])
      .where('id', '=', mineB.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ rating: null, status: 'resolved' });
  });

  it('refuses staff credentials on portal routes, and customers without a session', async () => {
    expect((await admin.client.get(items)).status).toBe(401);
    expect((await admin.client.post(items, { kind: 'question', subject: 'Staff?' })).status).toBe(401);
    const anonymous = t.client();
    expect((await anonymous.get(items)).status).toBe(401);
    // A signed-in customer who also sends an API token is refused: portal routes take no tokens.
    const { client } = await portalCustomer(t, admin.workspaceId, 'token@example.com');
    client.bearer = 'rpt_anything';
    expect((await client.get(items)).status).toBe(401);
  });

  it('answers bad input with 400 naming the field', async () => {
    const { client } = await portalCustomer(t, admin.workspaceId, 'typo@example.com');
    const noKind = await client.post(items, { subject: 'Hello' });
    expect(noKind.status).toBe(400);
    expect(noKind.body.errors.map((e: any) => e.path)).toContain('body.kind');
    const badKind = await client.post(items, { kind: 'rant', subject: 'Hello' });
    expect(badKind.body.errors.map((e: any) => e.path)).toContain('body.kind');
    const noSubject = await client.post(items, { kind: 'question', subject: '  ' });
    expect(noSubject.status).toBe(400);
    expect(noSubject.body.errors[0]).toMatchObject({ path: 'body.subject' });
    const extra = await client.post(items, { kind: 'question', subject: 'Hi', priority: 'urgent' });
    expect(extra.status).toBe(400);

    const item = await submit(client, { kind: 'question', subject: 'Fine' });
    const empty = await client.post(`${items}/${item.id}/messages`, { body: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].path).toBe('body.body');
    const stars = await client.post(`${items}/${item.id}/rating`, { rating: 6 });
    expect(stars.status).toBe(400);
    expect(stars.body.errors[0].path).toBe('body.rating');
    expect((await client.get(`${items}/not-a-uuid`)).status).toBe(400);
    const cursor = await client.get(`${items}?after=xyz`);
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors[0].path).toBe('query.after');
  });

  it('limits submissions per hour with 429 and stores nothing more', async () => {
    const { client } = await portalCustomer(t, admin.workspaceId, 'flood@example.com');
    const first = await submit(client, { kind: 'opinion', subject: 'Flood 1' });
    await submit(client, { kind: 'opinion', subject: 'Flood 2' });
    await submit(client, { kind: 'opinion', subject: 'Flood 3' });
    const reply = await client.post(`${items}/${first.id}/messages`, { body: 'Flood 4' });
    expect(reply.status).toBe(201);
    const tooMany = await client.post(items, { kind: 'opinion', subject: 'Flood 5' });
    expect(tooMany.status).toBe(429);
    expect(tooMany.body.detail).toMatch(/a lot in the last hour/);
    const replyToo = await client.post(`${items}/${first.id}/messages`, { body: 'Flood 6' });
    expect(replyToo.status).toBe(429);
    const rows = await t.database.db
      .selectFrom('items')
      .select('id')
      .where('subject', '=', 'Flood 5')
      .execute();
    expect(rows).toHaveLength(0);
  });

  it('refuses writes without the CSRF token', async () => {
    const { client } = await portalCustomer(t, admin.workspaceId, 'csrf@example.com');
    client.csrfToken = undefined;
    expect((await client.post(items, { kind: 'question', subject: 'No token' })).status).toBe(403);
  });

  it('answers 404 when staff turned the items part of the portal off', async () => {
    const { client } = await portalCustomer(t, elsewhere.workspaceId, 'off@example.com');
    await t.database.db
      .insertInto('portal_settings')
      .values({ workspace_id: elsewhere.workspaceId, show_items: false, updated_at: new Date() })
      .onConflict((conflict) => conflict.column('workspace_id').doUpdateSet({ show_items: false }))
      .execute();
    expect((await client.get(items)).status).toBe(404);
    expect((await client.post(items, { kind: 'question', subject: 'Off?' })).status).toBe(404);
  });
});
