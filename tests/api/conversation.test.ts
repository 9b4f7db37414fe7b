// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are checked field by field in tests.
import { createServer } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainJobs } from '../../src/platform/jobs/worker.ts';
import { createUser, signedInUser, signIn } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { startSmtpReceiver } from './helpers/smtp-receiver.ts';
import { act, createItem, eventTypes } from './items-helpers.ts';

let t: TestApp;
let agent: Awaited<ReturnType<typeof signedInUser>>;
let outsider: Awaited<ReturnType<typeof signedInUser>>;
const domain = 'mail.acme.test';

/** A local port where nothing listens: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  t = await createTestApp({ INBOUND_MAIL_DOMAIN: domain });
  agent = await signedInUser(t, 'agent');
  outsider = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

async function itemRow(id: string) {
  return t.database.db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('replying to the customer', () => {
  it('queues the mail with the reply address, sets the first response and moves the item to work', async () => {
    const item = await createItem(agent.client, { reporterEmail: 'ada@example.com', reporterName: 'Ada' });
    const response = await agent.client.post(`/api/v1/items/${item.id}/reply`, { body: '  We are on it.  ' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toMatchObject({
      kind: 'outbound',
      authorUserId: agent.user.id,
      authorName: agent.user.name,
      toAddress: 'ada@example.com',
      subject: `Re: The car will not start [#${item.ref}]`,
      bodyText: 'We are on it.',
      hasHtml: false,
      deliveryStatus: 'queued',
      deliveryError: null,
      attachments: [],
    });
    const row = await itemRow(item.id);
    const outbox = await t.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('entity_id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(outbox.reply_to).toBe(`reply+${row.reply_token}@${domain}`);
    expect(outbox.to_address).toBe('ada@example.com');
    expect((outbox.headers as Record<string, string>)['Message-ID']).toMatch(new RegExp(`@${domain}>$`));
    expect(row.status).toBe('in_progress');
    expect(row.first_responded_at).not.toBeNull();
    expect(row.staff_reply_count).toBe(1);
    expect(row.version).toBe(item.version + 1);
    expect(await eventTypes(t, item.id)).toContain('replied');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_id', '=', item.id)
      .where('action', '=', 'item.replied')
      .executeTakeFirst();
    expect(audit?.actor_id).toBe(agent.user.id);

    // A second reply waits on the customer; the first response time stays.
    const first = row.first_responded_at!.toISOString();
    const again = await agent.client.post(`/api/v1/items/${item.id}/reply`, {
      body: 'Could you send a photo?',
      subject: 'Photo please',
      waitOnCustomer: true,
    });
    expect(again.status).toBe(201);
    expect(again.body.subject).toBe(`Photo please [#${item.ref}]`);
    const after = await itemRow(item.id);
    expect(after.status).toBe('waiting_on_customer');
    expect(after.first_responded_at!.toISOString()).toBe(first);
    expect(after.staff_reply_count).toBe(2);
  });

  it('answers 409 when no email is known for the customer, and says what to do instead', async () => {
    const item = await createItem(agent.client, { reporterName: 'Someone on the phone' });
    const response = await agent.client.post(`/api/v1/items/${item.id}/reply`, { body: 'Hello' });
    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(/No email address is known.*\/inform/);
    const row = await itemRow(item.id);
    expect(row.first_responded_at).toBeNull();
    expect(row.staff_reply_count).toBe(0);
    expect(await eventTypes(t, item.id)).not.toContain('replied');
  });

  it('refuses to wait on the customer of a closed item, and bad input with what to fix', async () => {
    const item = await createItem(agent.client, { reporterEmail: 'bo@example.com' });
    await act(agent.client, item.id, 'resolve', { resolution: 'Replaced the part' });
    await act(agent.client, item.id, 'close', { reason: 'anonymous' });
    const waiting = await agent.client.post(`/api/v1/items/${item.id}/reply`, {
      body: 'Still there?',
      waitOnCustomer: true,
    });
    expect(waiting.status).toBe(409);
    expect(waiting.body.detail).toMatch(/reopen it/);
    // Without waiting, a closed item can still be written to; its status does not change.
    const plain = await agent.client.post(`/api/v1/items/${item.id}/reply`, { body: 'For the record.' });
    expect(plain.status).toBe(201);
    expect((await itemRow(item.id)).status).toBe('closed');

    const empty = await agent.client.post(`/api/v1/items/${item.id}/reply`, { body: '   ' });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('Write the reply.');
    const extra = await agent.client.post(`/api/v1/items/${item.id}/reply`, { body: 'x', cc: 'a@b.c' });
    expect(extra.status).toBe(400);
  });

  it('threads under the customer’s last mail and delivers through SMTP with the reply address', async () => {
    const receiver = await startSmtpReceiver();
    try {
      t.config.SMTP_URL = receiver.url;
      const item = await createItem(agent.client, { reporterEmail: 'cy@example.com' });
      await t.database.db
        .insertInto('item_messages')
        .values({
          id: '01900000-0000-7000-8000-00000000c0de',
          workspace_id: agent.workspaceId,
          item_id: item.id,
          kind: 'inbound',
          from_address: 'cy@example.com',
          body_text: 'It broke again',
          message_id: '<cy-1@example.com>',
        })
        .execute();
      const sent = await agent.client.post(`/api/v1/items/${item.id}/reply`, { body: 'Sorry, fixing it.' });
      expect(sent.status).toBe(201);
      await drainJobs(t.deps);
      const mail = receiver.received.find((received) => received.to.includes('cy@example.com'));
      expect(mail).toBeDefined();
      const token = (await itemRow(item.id)).reply_token;
      expect(mail!.raw).toContain(`Reply-To: reply+${token}@${domain}`);
      expect(mail!.raw).toContain('In-Reply-To: <cy-1@example.com>');
      const messages = await agent.client.get(`/api/v1/items/${item.id}/messages`);
      const outbound = messages.body.data.find((message: any) => message.id === sent.body.id);
      expect(outbound.deliveryStatus).toBe('sent');
    } finally {
      t.config.SMTP_URL = undefined;
      await receiver.close();
    }
  });

  it('shows a delivery that keeps failing as failed, with the error, after the retries', async () => {
    t.config.SMTP_URL = `smtp://127.0.0.1:${await closedPort()}`;
    try {
      const item = await createItem(agent.client, { reporterEmail: 'dee@example.com' });
      const sent = await agent.client.post(`/api/v1/items/${item.id}/reply`, { body: 'Hello Dee' });
      expect(sent.status).toBe(201);
      const outboxId = (
        await t.database.db
          .selectFrom('item_messages')
          .select('outbox_id')
          .where('id', '=', sent.body.id)
          .executeTakeFirstOrThrow()
      ).outbox_id!;
      const job = () =>
        t.database.db
          .selectFrom('jobs')
          .select(['id', 'status', 'attempts', 'max_attempts'])
          .where('kind', '=', 'mail.send')
          .where(sql`payload->>'outboxId'`, '=', outboxId)
          .executeTakeFirstOrThrow();
      await drainJobs(t.deps);
      let state = await job();
      expect(state.attempts).toBe(1);
      expect(state.status).toBe('queued'); // retried later, with backoff
      let listed = await agent.client.get(`/api/v1/items/${item.id}/messages`);
      expect(listed.body.data.at(-1)).toMatchObject({ deliveryStatus: 'queued' });
      expect(listed.body.data.at(-1).deliveryError).toMatch(/ECONNREFUSED|connect/i);
      while (state.status === 'queued') {
        // The backoff is real time; bring the retry forward instead of waiting.
        await t.database.db
          .updateTable('jobs')
          .set({ run_at: new Date() })
          .where('id', '=', state.id)
          .execute();
        await drainJobs(t.deps);
        state = await job();
      }
      expect(state).toMatchObject({ status: 'failed', attempts: state.max_attempts });
      listed = await agent.client.get(`/api/v1/items/${item.id}/messages`);
      expect(listed.body.data.at(-1)).toMatchObject({ id: sent.body.id, deliveryStatus: 'failed' });
      expect(listed.body.data.at(-1).deliveryError).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      t.config.SMTP_URL = undefined;
    }
  });
});

describe('the conversation', () => {
  it('lists messages and internal notes oldest first, in keyset pages', async () => {
    const item = await createItem(agent.client, { reporterEmail: 'eve@example.com', acknowledge: true });
    await act(agent.client, item.id, 'note', { body: 'Internal: check the battery' });
    await agent.client.post(`/api/v1/items/${item.id}/reply`, { body: 'Checking the battery.' });
    const all = await agent.client.get(`/api/v1/items/${item.id}/messages`);
    expect(all.status).toBe(200);
    expect(all.body.data.map((message: any) => message.kind)).toEqual(['outbound', 'note', 'outbound']);
    expect(all.body.data[1]).toMatchObject({ bodyText: 'Internal: check the battery', deliveryStatus: null });
    expect(all.body.next).toBeNull();

    const seen: string[] = [];
    let after: string | null = null;
    do {
      const query: string = after ? `?limit=1&after=${after}` : '?limit=1';
      const page = await agent.client.get(`/api/v1/items/${item.id}/messages${query}`);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBe(1);
      seen.push(page.body.data[0].id);
      after = page.body.next;
    } while (after);
    expect(seen).toEqual(all.body.data.map((message: any) => message.id));

    const bad = await agent.client.get(`/api/v1/items/${item.id}/messages?after=nonsense`);
    expect(bad.status).toBe(400);
  });
});

describe('permissions and workspaces', () => {
  it('another workspace gets 404 for every conversation route, with real ids', async () => {
    const item = await createItem(agent.client, { reporterEmail: 'fay@example.com' });
    const sent = await agent.client.post(`/api/v1/items/${item.id}/reply`, { body: 'Hi Fay' });
    await t.database.db
      .insertInto('item_attachments')
      .values({
        id: '01900000-0000-7000-8000-0000000a77a0',
        workspace_id: agent.workspaceId,
        item_id: item.id,
        message_id: sent.body.id,
        filename: 'photo.png',
        content_type: 'image/png',
        size_bytes: 3,
        data: Buffer.from('png'),
      })
      .execute();
    const attachmentUrl = `/api/v1/items/${item.id}/attachments/01900000-0000-7000-8000-0000000a77a0`;
    expect((await agent.client.get(attachmentUrl)).status).toBe(200);

    expect((await outsider.client.post(`/api/v1/items/${item.id}/reply`, { body: 'Hi' })).status).toBe(404);
    expect((await outsider.client.get(`/api/v1/items/${item.id}/messages`)).status).toBe(404);
    expect((await outsider.client.get(`/api/v1/items/${item.id}/messages/${sent.body.id}/html`)).status).toBe(
      404,
    );
    expect((await outsider.client.get(attachmentUrl)).status).toBe(404);
    expect((await itemRow(item.id)).staff_reply_count).toBe(1);
  });

  it('asks to sign in, and leaves the inbound address to admins', async () => {
    const anonymous = t.client();
    expect((await anonymous.get('/api/v1/inbound-address')).status).toBe(401);
    const item = await createItem(agent.client);
    expect((await anonymous.get(`/api/v1/items/${item.id}/messages`)).status).toBe(401);
    expect((await agent.client.get('/api/v1/inbound-address')).status).toBe(403);
    expect(
      (await agent.client.request('PUT', '/api/v1/inbound-address', { address: 'x@acme.test' })).status,
    ).toBe(403);
    // Executives read everything and may write to customers too (items.write is everyone's).
    const executive = await createUser(t.database.db, agent.workspaceId, { role: 'executive' });
    const client = t.client();
    await signIn(client, executive.email);
    expect((await client.get(`/api/v1/items/${item.id}/messages`)).status).toBe(200);
  });
});

describe('the inbound address', () => {
  it('is set, read, unique across workspaces, never a reply address, and removed with null', async () => {
    const initial = await outsider.client.get('/api/v1/inbound-address');
    expect(initial.body).toEqual({ address: null, replyDomain: domain, receiverEnabled: false });
    const set = await outsider.client.request('PUT', '/api/v1/inbound-address', {
      address: ' Support@Acme.test ',
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.address).toBe('support@acme.test');
    expect((await outsider.client.get('/api/v1/inbound-address')).body.address).toBe('support@acme.test');

    const other = await signedInUser(t, 'admin');
    const taken = await other.client.request('PUT', '/api/v1/inbound-address', {
      address: 'SUPPORT@acme.test',
    });
    expect(taken.status).toBe(409);
    expect(taken.body.detail).toMatch(/another workspace/);
    const reply = await other.client.request('PUT', '/api/v1/inbound-address', {
      address: `reply+abc@${domain}`,
    });
    expect(reply.status).toBe(422);
    const invalid = await other.client.request('PUT', '/api/v1/inbound-address', {
      address: 'not an address',
    });
    expect(invalid.status).toBe(400);

    const cleared = await outsider.client.request('PUT', '/api/v1/inbound-address', { address: null });
    expect(cleared.body.address).toBeNull();
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', outsider.workspaceId)
      .where('action', '=', 'workspace.inbound_address_set')
      .execute();
    expect(audit.length).toBe(2);
  });
});
