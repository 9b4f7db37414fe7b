// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are checked field by field in tests.

import type { Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailTextLimit } from '../../src/features/mail-in/content.ts';
import { withInboundMail } from '../../src/features/mail-in/schema.ts';
import { drainJobs } from '../../src/platform/jobs/worker.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { openInbound } from './helpers/inbound.ts';

let t: TestApp;
let inbox: Awaited<ReturnType<typeof openInbound>>;
let transport: Transporter;
let agent: Awaited<ReturnType<typeof signedInUser>>;
let admin: Awaited<ReturnType<typeof signedInUser>>;
const domain = 'mail.acme.test';
const support = 'support@acme.test';

beforeAll(async () => {
  t = await createTestApp({ INBOUND_MAIL_DOMAIN: domain });
  agent = await signedInUser(t, 'agent');
  admin = await signedInUser(t, 'admin', agent.workspaceId);
  inbox = await openInbound(t, agent.workspaceId, support);
  transport = inbox.transport;
});
afterAll(async () => {
  await inbox.close();
  await t.close();
});

let sequence = 0;
/** Sends a real mail over SMTP to the receiver, then runs the jobs that process it. */
async function deliver(mail: Mail.Options) {
  sequence += 1;
  await transport.sendMail({
    from: 'Otto Office <otto.office@example.com>',
    to: support,
    subject: `Hello ${sequence}`,
    text: 'Hello there',
    messageId: `<content-${sequence}-${Date.now()}@example.com>`,
    ...mail,
  });
  await drainJobs(t.deps);
  return withInboundMail(t.database.db)
    .selectFrom('inbound_mail')
    .selectAll()
    .where('workspace_id', '=', agent.workspaceId)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
}

const count = async (table: 'items' | 'outbox' | 'item_messages') =>
  Number(
    (
      await t.database.db
        .selectFrom(table)
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

describe('Outlook/Exchange out-of-office replies (no Auto-Submitted header)', () => {
  const outOfOffice: [string, Record<string, string>][] = [
    ['with X-Auto-Response-Suppress', { 'X-Auto-Response-Suppress': 'All' }],
    [
      'with X-Auto-Response-Suppress and an Exchange rule header',
      { 'X-Auto-Response-Suppress': 'All', 'X-MS-Exchange-Inbox-Rules-Loop': 'xena.exchange@example.com' },
    ],
  ];
  for (const [name, headers] of outOfOffice) {
    it(`create no item and get no acknowledgement: ${name}`, async () => {
      const before = { items: await count('items'), outbox: await count('outbox') };
      const stored = await deliver({
        subject: 'Automatic reply: We received your request',
        text: 'I am out of the office until Monday and have no access to email.',
        headers,
      });
      expect(stored.status).toBe('ignored');
      expect(stored.reason).toMatch(/^auto-reply: out-of-office subject with X-Auto-Response-Suppress: All/);
      expect(stored.item_id).toBeNull();
      expect(await count('items')).toBe(before.items);
      expect(await count('outbox')).toBe(before.outbox);
    });
  }

  it('sent to the reply address of an item are not threaded into it', async () => {
    const first = await deliver({
      from: 'Xena <xena.exchange@example.com>',
      subject: 'Invoice',
      text: 'Wrong sum.',
    });
    const item = await t.database.db
      .selectFrom('items')
      .select(['reply_token', 'status'])
      .where('id', '=', first.item_id!)
      .executeTakeFirstOrThrow();
    const before = { messages: await count('item_messages'), outbox: await count('outbox') };
    const stored = await deliver({
      from: 'Xena <xena.exchange@example.com>',
      to: `reply+${item.reply_token}@${domain}`,
      subject: 'Abwesenheitsnotiz: We received Invoice',
      text: 'Ich bin nicht im Büro.',
      headers: { 'X-MS-Exchange-Inbox-Rules-Loop': 'xena.exchange@example.com' },
    });
    expect(stored.status).toBe('ignored');
    expect(await count('item_messages')).toBe(before.messages);
    expect(await count('outbox')).toBe(before.outbox);
  });

  it('a mail asking for no automatic answers still becomes an item, without an acknowledgement', async () => {
    const outbox = await count('outbox');
    const stored = await deliver({
      from: 'Web form <forms@example.com>',
      subject: 'Contact form: my delivery is late',
      text: 'Name: Ada\nMessage: my delivery is late, please help.',
      headers: { 'X-Auto-Response-Suppress': 'OOF, AutoReply' },
    });
    expect(stored.status).toBe('processed');
    expect(stored.reason).toMatch(/^not acknowledged: the sender asked for no automatic replies/);
    const item = await agent.client.get(`/api/v1/items/${stored.item_id}`);
    expect(item.body).toMatchObject({ status: 'new', acknowledgedAt: null });
    expect((await messagesOf(stored.item_id!)).map((message) => message.kind)).toEqual(['inbound']);
    expect(await count('outbox')).toBe(outbox);
  });

  it('ordinary mail is still acknowledged', async () => {
    const stored = await deliver({ from: 'Ada <ada@example.com>', subject: 'Where is my parcel?' });
    expect(stored).toMatchObject({ status: 'processed', reason: null });
    const kinds = (await messagesOf(stored.item_id!)).map((message) => message.kind);
    expect(kinds).toEqual(['inbound', 'outbound']);
  });
});

describe('remote images in HTML mail', () => {
  it('are flagged on the message, replaced by their alt text, and loaded with images=1 only', async () => {
    const stored = await deliver({
      subject: 'Our new logo',
      text: 'See the logo: https://images.example.org/logo.png',
      html:
        '<p>See the logo:</p><img src="https://images.example.org/logo.png" alt="Company logo">' +
        '<img src="https://images.example.org/spacer.gif" width="1" height="1">',
    });
    const message = (await messagesOf(stored.item_id!)).find((entry) => entry.kind === 'inbound');
    expect(message).toMatchObject({ hasHtml: true, remoteImages: true });
    const url = `/api/v1/items/${stored.item_id}/messages/${message.id}/html`;

    const hidden = await agent.client.get(url);
    expect(hidden.status).toBe(200);
    expect(hidden.headers['content-security-policy']).toContain('img-src data:;');
    const html = String(hidden.body);
    expect(html).not.toContain('images.example.org');
    expect(html).toMatch(/<span class="rapport-hidden-image" title="[^"]+">\[image: Company logo\]<\/span>/);
    expect(html).toMatch(/<style>\.rapport-hidden-image\{/);

    const shown = await agent.client.get(`${url}?images=1`);
    expect(shown.headers['content-security-policy']).toContain('img-src data: https:;');
    expect(String(shown.body)).toContain('<img src="https://images.example.org/logo.png" alt="Company logo"');
    // The tracking pixel was dropped on receipt: it loads not even on request.
    expect(String(shown.body)).not.toContain('spacer.gif');
    expect(String(shown.body)).not.toContain('[image: Company logo]');

    const plain = await deliver({ subject: 'Plain HTML', html: '<p><b>Just text</b></p>' });
    const plainMessage = (await messagesOf(plain.item_id!)).find((entry) => entry.kind === 'inbound');
    expect(plainMessage).toMatchObject({ hasHtml: true, remoteImages: false });
    const textOnly = await deliver({ subject: 'No HTML' });
    const textMessage = (await messagesOf(textOnly.item_id!)).find((entry) => entry.kind === 'inbound');
    expect(textMessage).toMatchObject({ hasHtml: false, remoteImages: false });
  });
});

describe('a very long mail', () => {
  it('is shortened at a line break with a note, and the whole mail stays downloadable as .eml', async () => {
    const line = 'This is a long line of text that repeats itself over and over.\n';
    const text = `${line.repeat(Math.ceil((mailTextLimit * 1.5) / line.length))}THE VERY END`;
    const stored = await deliver({ subject: 'A very long story', text });
    expect(stored.status).toBe('processed');
    const item = (await agent.client.get(`/api/v1/items/${stored.item_id}`)).body;
    expect(item.body.length).toBeLessThanOrEqual(mailTextLimit);
    const [kept, note] = item.body.split('\n\n[… ');
    expect(kept.endsWith('over and over.')).toBe(true);
    expect(note).toMatch(
      /^The message was shortened here: [\d,]+ more characters are only in the original email\. It is kept as received; an admin can download it as an \.eml file from the inbound mail log\.\]$/,
    );
    const missing = Number(/([\d,]+) more/.exec(note)![1]!.replaceAll(',', ''));
    expect(kept.length + missing).toBe(text.length);
    // The conversation shows the same text, so the item's body is not shown twice.
    const [message] = await messagesOf(stored.item_id!);
    expect(message.bodyText).toBe(item.body);

    const raw = await admin.client.get(`/api/v1/inbound-mail/${stored.id}/raw`);
    expect(raw.status).toBe(200);
    expect(String(raw.body)).toContain('THE VERY END');
  });

  it('answering an item is shortened the same way', async () => {
    const first = await deliver({ subject: 'Short question' });
    const { reply_token } = await t.database.db
      .selectFrom('items')
      .select('reply_token')
      .where('id', '=', first.item_id!)
      .executeTakeFirstOrThrow();
    const text = 'word '.repeat(mailTextLimit / 4);
    await deliver({ to: `reply+${reply_token}@${domain}`, subject: 'Re: Short question', text });
    const answer = (await messagesOf(first.item_id!)).filter((entry) => entry.kind === 'inbound')[1];
    expect(answer.bodyText.length).toBeLessThanOrEqual(mailTextLimit);
    expect(answer.bodyText).toMatch(/word\n\n\[… The message was shortened here: [\d,]+ more characters/);
  });
});
