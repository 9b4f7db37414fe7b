// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are checked field by field in tests.

import { sql } from 'kysely';
import type { Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withInboundMail } from '../../src/features/mail-in/schema.ts';
import { drainJobs } from '../../src/platform/jobs/worker.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { openInbound } from './helpers/inbound.ts';
import { act, eventTypes } from './items-helpers.ts';

let t: TestApp;
let inbox: Awaited<ReturnType<typeof openInbound>>;
let transport: Transporter;
let agent: Awaited<ReturnType<typeof signedInUser>>;
const domain = 'mail.acme.test';
const support = 'support@acme.test';
const maxBytes = 200_000;

beforeAll(async () => {
  t = await createTestApp({ INBOUND_MAIL_DOMAIN: domain, INBOUND_MAX_BYTES: String(maxBytes) });
  agent = await signedInUser(t, 'agent');
  inbox = await openInbound(t, agent.workspaceId, support);
  transport = inbox.transport;
});
afterAll(async () => {
  await inbox.close();
  await t.close();
});

let sequence = 0;
/** Sends a real mail to the receiver, then runs the jobs that process it. */
async function deliver(mail: Mail.Options) {
  sequence += 1;
  const info = await transport.sendMail({
    from: 'Ada Lovelace <ada@example.com>',
    to: support,
    subject: `Hello ${sequence}`,
    text: 'Hello there',
    messageId: `<test-${sequence}-${Date.now()}@example.com>`,
    ...mail,
  });
  await drainJobs(t.deps);
  return info;
}

async function sendError(mail: Mail.Options): Promise<any> {
  try {
    await transport.sendMail({ from: 'ada@example.com', to: support, subject: 'x', text: 'x', ...mail });
  } catch (error) {
    return error;
  }
  throw new Error('the receiver accepted the mail');
}

const inbound = () => withInboundMail(t.database.db).selectFrom('inbound_mail').selectAll();
const lastInbound = () =>
  inbound().orderBy('received_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
const countItems = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('workspace_id', '=', agent.workspaceId)
        .executeTakeFirstOrThrow()
    ).n,
  );
async function messagesOf(itemId: string) {
  const response = await agent.client.get(`/api/v1/items/${itemId}/messages`);
  expect(response.status).toBe(200);
  return response.body.data as any[];
}
async function itemOf(id: string) {
  const response = await agent.client.get(`/api/v1/items/${id}`);
  expect(response.status).toBe(200);
  return response.body;
}

describe('new mail to the inbound address', () => {
  it('becomes an item matched to the person, with the kind guessed and the mail as first message', async () => {
    const person = await agent.client.post('/api/v1/people', {
      givenName: 'Grace',
      familyName: 'Hopper',
      emails: [{ value: 'grace@example.com', primary: true }],
    });
    expect(person.status, JSON.stringify(person.body)).toBe(201);
    const messageId = '<first-complaint@example.com>';
    await deliver({
      from: 'Grace Hopper <Grace@Example.com>',
      subject: 'My car is broken again',
      text: 'It stopped working after I bought vanilla ice cream.',
      messageId,
    });
    const stored = await lastInbound();
    expect(stored).toMatchObject({ status: 'processed', reason: null, message_id: messageId });
    const item = await itemOf(stored.item_id!);
    expect(item).toMatchObject({
      kind: 'complaint',
      channel: 'email',
      subject: 'My car is broken again',
      body: 'It stopped working after I bought vanilla ice cream.',
      personId: person.body.id,
      reporterEmail: 'grace@example.com',
      reporterName: 'Grace Hopper',
    });
    const messages = await messagesOf(item.id);
    expect(messages[0]).toMatchObject({
      kind: 'inbound',
      fromAddress: 'grace@example.com',
      subject: item.subject,
    });
    // The acknowledgement answers the mail, threaded under it.
    const ack = messages.find((message) => message.kind === 'outbound');
    expect(ack?.toAddress).toBe('grace@example.com');
    const outbox = await t.database.db
      .selectFrom('outbox')
      .select('headers')
      .where('entity_id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect((outbox.headers as Record<string, string>)['In-Reply-To']).toBe(messageId);
  });

  it('creates the person for an unknown sender and guesses other kinds', async () => {
    await deliver({
      from: 'Newcomer <new.person@example.org>',
      subject: 'How do I change my delivery address?',
      text: 'Is it possible online?',
    });
    const item = await itemOf((await lastInbound()).item_id!);
    expect(item.kind).toBe('question');
    expect(item.personId).not.toBeNull();
    const person = await agent.client.get(`/api/v1/people/${item.personId}`);
    expect(person.body.emails[0].value).toBe('new.person@example.org');

    await deliver({ subject: 'Just wanted to say', text: 'Your shop is on my way home.' });
    expect((await itemOf((await lastInbound()).item_id!)).kind).toBe('opinion');
  });

  it('processes a mail received twice (same Message-ID) once', async () => {
    const before = await countItems();
    const mail = {
      subject: 'Twice',
      text: 'Sent twice by a retrying server',
      messageId: '<twice@example.com>',
    };
    await deliver(mail);
    await deliver(mail);
    expect(await countItems()).toBe(before + 1);
    const rows = await inbound()
      .where('message_id', '=', '<twice@example.com>')
      .orderBy('received_at')
      .execute();
    expect(rows.map((row) => row.status)).toEqual(['processed', 'ignored']);
    expect(rows[1]!.reason).toMatch(/duplicate/);
    expect(rows[1]!.item_id).toBe(rows[0]!.item_id);
  });
});

describe('answers from the customer', () => {
  async function itemFromMail(subject: string) {
    await deliver({ subject, text: 'Please help' });
    const id = (await lastInbound()).item_id!;
    const row = await t.database.db
      .selectFrom('items')
      .select(['reply_token', 'ref'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return { id, replyAddress: `reply+${row.reply_token}@${domain}`, ref: row.ref };
  }

  it('threads a reply to the reply address into the same item, trims the quote, tells the owner', async () => {
    const item = await itemFromMail('Wipers squeak');
    await act(agent.client, item.id, 'take', {});
    const reply = await agent.client.post(`/api/v1/items/${item.id}/reply`, {
      body: 'Which model is it?',
      waitOnCustomer: true,
    });
    expect(reply.status).toBe(201);
    const before = await countItems();
    await deliver({
      to: item.replyAddress,
      subject: `Re: Wipers squeak [#${item.ref}]`,
      text: 'It is the 2019 model.\n\nOn Mon, 23 Nov 2026 at 10:00, Acme <rapport@acme.test> wrote:\n> Which model is it?\n',
    });
    expect(await countItems()).toBe(before);
    const messages = await messagesOf(item.id);
    const answer = messages.at(-1);
    expect(answer).toMatchObject({
      kind: 'inbound',
      bodyText: 'It is the 2019 model.',
      fromAddress: 'ada@example.com',
    });
    const after = await itemOf(item.id);
    expect(after.status).toBe('in_progress');
    expect(await eventTypes(t, item.id)).toEqual(
      expect.arrayContaining(['customer_replied', 'status_changed']),
    );
    const notification = await t.database.db
      .selectFrom('notifications')
      .select(['type', 'title'])
      .where('user_id', '=', agent.user.id)
      .where('item_id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(notification.type).toBe('customer_reply');
    expect(notification.title).toContain('Ada Lovelace replied');
  });

  it('threads by In-Reply-To when the reply address is missing', async () => {
    const item = await itemFromMail('Headlight out');
    const sent = await agent.client.post(`/api/v1/items/${item.id}/reply`, { body: 'Is it the left one?' });
    const { message_id } = await t.database.db
      .selectFrom('item_messages')
      .select('message_id')
      .where('id', '=', sent.body.id)
      .executeTakeFirstOrThrow();
    const before = await countItems();
    await deliver({
      subject: 'Re: Headlight out',
      text: 'Yes, the left one.',
      inReplyTo: message_id!,
      references: [message_id!],
    });
    expect(await countItems()).toBe(before);
    expect((await messagesOf(item.id)).at(-1)).toMatchObject({
      kind: 'inbound',
      bodyText: 'Yes, the left one.',
    });
  });

  it('continues on the surviving item when the answered one was merged into it', async () => {
    const kept = await itemFromMail('Brakes squeal');
    const duplicate = await itemFromMail('Brakes squeal (again)');
    const merged = await agent.client.post(`/api/v1/items/${kept.id}/merge`, { otherId: duplicate.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    await deliver({
      to: duplicate.replyAddress,
      subject: 'Re: Brakes squeal (again)',
      text: 'Only when cold.',
    });
    expect((await messagesOf(kept.id)).at(-1)).toMatchObject({
      kind: 'inbound',
      bodyText: 'Only when cold.',
    });
    expect((await messagesOf(duplicate.id)).some((message) => message.bodyText === 'Only when cold.')).toBe(
      false,
    );
  });

  it('reopens a closed item', async () => {
    const item = await itemFromMail('Door rattles');
    await act(agent.client, item.id, 'resolve', { resolution: 'Tightened the hinge' });
    await act(agent.client, item.id, 'close', { reason: 'fixed on site' });
    await deliver({ to: item.replyAddress, subject: 'Re: Door rattles', text: 'It rattles again.' });
    const after = await itemOf(item.id);
    expect(after).toMatchObject({ status: 'reopened', closedAt: null, closeReason: null });
    const reopened = await t.database.db
      .selectFrom('item_events')
      .select(['actor_type'])
      .where('item_id', '=', item.id)
      .where('type', '=', 'reopened')
      .executeTakeFirstOrThrow();
    expect(reopened.actor_type).toBe('customer');
  });
});

describe('machine mail creates nothing and is never answered', () => {
  const cases: [string, Mail.Options, RegExp][] = [
    [
      'a bounce (empty return path)',
      { envelope: { from: '', to: support } as any },
      /bounce: empty return path/,
    ],
    ['an out-of-office', { headers: { 'Auto-Submitted': 'auto-replied' } }, /Auto-Submitted/],
    ['an X-Autoreply', { headers: { 'X-Autoreply': 'yes' } }, /x-autoreply/],
    ['a bulk mailing', { headers: { Precedence: 'bulk' } }, /Precedence: bulk/],
    ['a mailer daemon', { from: 'MAILER-DAEMON@mx.example.com' }, /bounce: sent by mailer-daemon/],
    ['a postmaster', { from: 'postmaster@example.com' }, /bounce: sent by postmaster/],
  ];
  for (const [name, mail, reason] of cases) {
    it(`ignores ${name}`, async () => {
      const items = await countItems();
      const outbox = await t.database.db.selectFrom('outbox').select('id').execute();
      await deliver({ subject: 'Automatic reply: Your request', text: 'I am away.', ...mail });
      expect(await countItems()).toBe(items);
      expect((await t.database.db.selectFrom('outbox').select('id').execute()).length).toBe(outbox.length);
      const stored = await lastInbound();
      expect(stored.status).toBe('ignored');
      expect(stored.reason).toMatch(reason);
    });
  }

  it('ignores a delivery report (multipart/report) sent to a reply address', async () => {
    await deliver({ subject: 'Bounce me', text: 'x' });
    const itemId = (await lastInbound()).item_id!;
    const { reply_token } = await t.database.db
      .selectFrom('items')
      .select('reply_token')
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
    const messages = (await messagesOf(itemId)).length;
    const raw = [
      'From: Mail Delivery System <bounces@mx.example.com>',
      `To: reply+${reply_token}@${domain}`,
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <report-1@mx.example.com>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'The mail could not be delivered.',
      '--b1--',
      '',
    ].join('\r\n');
    await transport.sendMail({
      envelope: { from: 'bounces@mx.example.com', to: `reply+${reply_token}@${domain}` },
      raw,
    });
    await drainJobs(t.deps);
    expect((await lastInbound()).reason).toMatch(/multipart\/report/);
    expect((await messagesOf(itemId)).length).toBe(messages);
  });
});

describe('what the receiver refuses', () => {
  it('rejects an unknown recipient with 550 and an unknown reply token too', async () => {
    const stored = (await inbound().execute()).length;
    const unknown = await sendError({ to: 'someone@elsewhere.test' });
    expect(unknown.responseCode).toBe(550);
    const badToken = await sendError({ to: `reply+NoSuchToken123@${domain}` });
    expect(badToken.responseCode).toBe(550);
    expect((await inbound().execute()).length).toBe(stored);
  });

  it('rejects a message over INBOUND_MAX_BYTES with 552 and stores nothing', async () => {
    const stored = (await inbound().execute()).length;
    const error = await sendError({ text: 'x'.repeat(maxBytes + 10_000) });
    expect(error.responseCode).toBe(552);
    expect((await inbound().execute()).length).toBe(stored);
  });

  it('records malformed mail as failed, and keeps receiving', async () => {
    await transport.sendMail({ envelope: { from: 'ada@example.com', to: support }, raw: '\r\n\r\n' });
    await drainJobs(t.deps);
    const failed = await lastInbound();
    expect(failed.status).toBe('failed');
    expect(failed.reason).toMatch(/malformed/);
    const job = await t.database.db
      .selectFrom('jobs')
      .select(['status', 'last_error'])
      .where('kind', '=', 'mail.inbound')
      .where(sql`payload->>'inboundMailId'`, '=', failed.id)
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('failed');
    expect(job.last_error).toMatch(/malformed/);
    await deliver({ subject: 'Still here', text: 'Working fine' });
    expect((await lastInbound()).status).toBe('processed');
  });
});

describe('attachments and HTML', () => {
  it('stores allowed attachments, drops dangerous ones and lists them in an internal note', async () => {
    const pdf = Buffer.from('%PDF-1.4 a small invoice');
    await deliver({
      subject: 'Invoice is wrong',
      text: 'See attached',
      attachments: [
        { filename: 'invoice.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'fix.exe', content: Buffer.from('MZ...'), contentType: 'application/octet-stream' },
        { filename: 'run.js', content: 'alert(1)', contentType: 'application/javascript' },
        { filename: 'page.pdf', content: Buffer.from('<html>'), contentType: 'text/html' },
      ],
    });
    const itemId = (await lastInbound()).item_id!;
    const messages = await messagesOf(itemId);
    const first = messages.find((message) => message.kind === 'inbound');
    expect(first.attachments).toEqual([
      {
        id: expect.any(String),
        filename: 'invoice.pdf',
        contentType: 'application/pdf',
        sizeBytes: pdf.length,
      },
    ]);
    const note = messages.find((message) => message.kind === 'note');
    expect(note.bodyText).toContain('fix.exe');
    expect(note.bodyText).toContain('run.js');
    expect(note.bodyText).toContain('page.pdf');
    expect(note.bodyText).not.toContain('invoice.pdf');

    const download = await agent.client.get(`/api/v1/items/${itemId}/attachments/${first.attachments[0].id}`);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="invoice.pdf"/);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.body).toBe(pdf.toString());
  });

  it('serves the HTML sanitised: no scripts, handlers or styles; remote images only on request', async () => {
    await deliver({
      subject: 'Look at this',
      text: 'Plain version',
      html:
        '<p onclick="steal()">Hello <b>team</b></p><script>alert(1)</script><style>p{color:red}</style>' +
        '<img src="x" onerror="alert(2)"><img src="https://tracker.example.com/pixel.gif" alt="t">' +
        '<a href="javascript:alert(3)">link</a><a href="https://example.com/doc">doc</a>' +
        '<iframe src="https://evil.example.com"></iframe>',
    });
    const itemId = (await lastInbound()).item_id!;
    const message = (await messagesOf(itemId)).find((entry) => entry.kind === 'inbound');
    expect(message).toMatchObject({ hasHtml: true, bodyText: 'Plain version' });
    const url = `/api/v1/items/${itemId}/messages/${message.id}/html`;
    const safe = await agent.client.get(url);
    expect(safe.status).toBe(200);
    expect(safe.headers['content-type']).toMatch(/^text\/html/);
    expect(safe.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox",
    );
    const html = String(safe.body);
    expect(html).toContain('Hello <b>team</b>');
    expect(html).toContain('href="https://example.com/doc"');
    // The page's own <style> in <head> only styles the placeholders of hidden images.
    expect(html).toContain('>[image: t]</span>');
    const body = html.slice(html.indexOf('<body>'));
    expect(body).not.toContain('color:red');
    for (const bad of [
      '<script',
      'alert(',
      'onclick',
      'onerror',
      '<style',
      'javascript:',
      '<iframe',
      'tracker.example.com',
    ])
      expect(body).not.toContain(bad);

    const withImages = await agent.client.get(`${url}?images=1`);
    expect(String(withImages.body)).toContain('https://tracker.example.com/pixel.gif');
    expect(withImages.headers['content-security-policy']).toContain('img-src data: https:');
    expect((await agent.client.get(`${url}?images=yes`)).status).toBe(400);
  });
});

describe('the log of received mail', () => {
  it('lists what became of each mail, in keyset pages, to admins of the workspace only', async () => {
    const admin = await signedInUser(t, 'admin', agent.workspaceId);
    const all = await inbound().where('workspace_id', '=', agent.workspaceId).execute();
    const seen: any[] = [];
    let after: string | null = null;
    do {
      const query: string = after ? `&after=${after}` : '';
      const page = await admin.client.get(`/api/v1/inbound-mail?limit=4${query}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.data);
      after = page.body.next;
    } while (after);
    expect(seen.map((entry) => entry.id).sort()).toEqual(all.map((row) => row.id).sort());
    const times = seen.map((entry) => entry.receivedAt);
    expect([...times].sort().reverse()).toEqual(times);

    const ignored = await admin.client.get('/api/v1/inbound-mail?status=ignored&limit=200');
    expect(ignored.body.data.length).toBeGreaterThanOrEqual(7);
    for (const entry of ignored.body.data) expect(entry.reason).toBeTruthy();
    const bounce = ignored.body.data.find((entry: any) => entry.mailFrom === '');
    expect(bounce.reason).toMatch(/empty return path/);

    const processed = seen.find((entry) => entry.status === 'processed');
    expect(processed).toMatchObject({ itemId: expect.any(String), rcptTo: expect.any(Array) });
    const raw = await admin.client.get(`/api/v1/inbound-mail/${processed.id}/raw`);
    expect(raw.status).toBe(200);
    expect(raw.headers['content-disposition']).toMatch(/^attachment; filename="mail-.*\.eml"/);
    expect(String(raw.body)).toContain('Message-ID:');

    expect((await agent.client.get('/api/v1/inbound-mail')).status).toBe(403);
    const outsider = await signedInUser(t, 'admin');
    expect((await outsider.client.get('/api/v1/inbound-mail')).body.data).toEqual([]);
    expect((await outsider.client.get(`/api/v1/inbound-mail/${processed.id}/raw`)).status).toBe(404);
  });
});
