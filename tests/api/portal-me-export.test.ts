// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are checked field by field in tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { portalBase, portalCustomerWithRecord } from './helpers/portal.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let ana: Awaited<ReturnType<typeof portalCustomerWithRecord>>;
let bruno: Awaited<ReturnType<typeof portalCustomerWithRecord>>;

/**
 * Gives a customer one of everything the export covers, each text tagged with `tag`, written as
 * the other portal parts write them.
 */
async function everythingOf(personId: string, tag: string) {
  const db = t.database.db;
  const workspaceId = admin.workspaceId;
  const item = await admin.client.post('/api/v1/items', {
    kind: 'suggestion',
    subject: `${tag} suggestion`,
    personId,
    acknowledge: false,
  });
  expect(item.status).toBe(201);
  const itemId = item.body.id as string;
  await db
    .insertInto('item_messages')
    .values({
      id: newId(),
      workspace_id: workspaceId,
      item_id: itemId,
      kind: 'inbound',
      person_id: personId,
      body_text: `${tag} portal reply`,
      via: 'portal',
    })
    .execute();
  await db
    .insertInto('item_votes')
    .values({ id: newId(), workspace_id: workspaceId, item_id: itemId, person_id: personId })
    .execute();
  await db
    .insertInto('suggestion_comments')
    .values({
      id: newId(),
      workspace_id: workspaceId,
      item_id: itemId,
      person_id: personId,
      body: `${tag} comment`,
    })
    .execute();
  const articleId = newId();
  await db
    .insertInto('kb_articles')
    .values({
      id: articleId,
      workspace_id: workspaceId,
      title: `${tag} article`,
      body: '',
      status: 'published',
    })
    .execute();
  await db
    .insertInto('kb_feedback')
    .values({
      id: newId(),
      workspace_id: workspaceId,
      article_id: articleId,
      person_id: personId,
      helpful: false,
      context: 'browse',
    })
    .execute();
  const intentId = newId();
  await db
    .insertInto('intents')
    .values({ id: intentId, workspace_id: workspaceId, person_id: personId, what: `${tag} wants a bike` })
    .execute();
  await db
    .insertInto('intent_responses')
    .values([
      {
        id: newId(),
        workspace_id: workspaceId,
        intent_id: intentId,
        user_id: admin.user.id,
        body: `${tag} staff offer`,
      },
      {
        id: newId(),
        workspace_id: workspaceId,
        intent_id: intentId,
        person_id: personId,
        body: `${tag} thanks`,
      },
    ])
    .execute();
  await db
    .insertInto('erasure_requests')
    .values({
      id: newId(),
      workspace_id: workspaceId,
      person_id: personId,
      email_hash: 'f'.repeat(64),
      reason: `${tag} erasure reason`,
      due_at: new Date(Date.now() + 30 * 86_400_000),
    })
    .execute();
}

beforeAll(async () => {
  t = await createTestApp({
    PORTAL_LINKS_PER_IP: '1000',
    PORTAL_LINKS_PER_EMAIL: '100',
    PORTAL_SUBMISSIONS_PER_HOUR: '3',
  });
  admin = await signedInUser(t, 'admin');
  ana = await portalCustomerWithRecord(t, admin.client, admin.workspaceId, 'Ana Lima', 'ana@example.com');
  bruno = await portalCustomerWithRecord(
    t,
    admin.client,
    admin.workspaceId,
    'Bruno Costa',
    'bruno@example.com',
  );
  await everythingOf(ana.personId, 'ANA-TAG');
  await everythingOf(bruno.personId, 'BRUNO-TAG');
});
afterAll(() => t.close());

describe('GET /portal/api/v1/me/export', () => {
  it('holds every kind of the customer’s own data', async () => {
    const response = await ana.client.get(`${portalBase}/me/export`);
    expect(response.status).toBe(200);
    const body = response.body;
    expect(body.items).toHaveLength(1);
    expect(body.items[0].messages).toEqual([
      expect.objectContaining({ from: 'you', via: 'portal', body: 'ANA-TAG portal reply' }),
    ]);
    expect(body.votes).toEqual([expect.objectContaining({ subject: 'ANA-TAG suggestion' })]);
    expect(body.suggestionComments).toEqual([expect.objectContaining({ body: 'ANA-TAG comment' })]);
    expect(body.articleFeedback).toEqual([
      expect.objectContaining({ title: 'ANA-TAG article', helpful: false }),
    ]);
    expect(body.intents).toHaveLength(1);
    expect(body.intents[0].responses.map((r: any) => [r.from, r.body])).toEqual([
      ['staff', 'ANA-TAG staff offer'],
      ['you', 'ANA-TAG thanks'],
    ]);
    expect(body.erasureRequests).toEqual([
      expect.objectContaining({ status: 'requested', reason: 'ANA-TAG erasure reason' }),
    ]);
    expect(body.workspace).toBeTruthy();
    expect(Date.parse(body.exportedAt)).toBeGreaterThan(0);
  });

  it('holds nothing of another customer', async () => {
    const text = JSON.stringify((await ana.client.get(`${portalBase}/me/export`)).body);
    for (const needle of ['BRUNO-TAG', 'bruno@example.com', 'Bruno', 'Costa', bruno.personId]) {
      expect(text, needle).not.toContain(needle);
    }
    const theirs = JSON.stringify((await bruno.client.get(`${portalBase}/me/export`)).body);
    expect(theirs).toContain('BRUNO-TAG staff offer');
    for (const needle of ['ANA-TAG', 'ana@example.com', 'Lima', ana.personId]) {
      expect(theirs, needle).not.toContain(needle);
    }
  });
});

describe('PATCH /portal/api/v1/me submission limit', () => {
  it('counts saved corrections against the hourly limit (refused ones do not count), then answers 429', async () => {
    const me = `${portalBase}/me`;
    expect((await ana.client.patch(me, { phones: [{ value: 'nope' }] })).status).toBe(422);
    for (const nickname of ['A', 'B', 'C']) {
      const saved = await ana.client.patch(me, { nickname });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    }
    const limited = await ana.client.patch(me, { nickname: 'D' });
    expect(limited.status).toBe(429);
    const row = await t.database.db
      .selectFrom('people')
      .select('nickname')
      .where('id', '=', ana.personId)
      .executeTakeFirstOrThrow();
    expect(row.nickname).toBe('C');
    expect((await bruno.client.patch(me, { nickname: 'Bru' })).status).toBe(200);
  });
});
