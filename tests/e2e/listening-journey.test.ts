import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sweepSla } from '../../src/features/sla/sweep.ts';
import { type ReceivedMail, startSmtpReceiver } from '../api/helpers/smtp-receiver.ts';
import { type Harness, screenshot, startHarness } from './harness.ts';
import { secondUser, toast } from './items-helpers.ts';
import { apiCall, setUpWorkspace } from './people-helpers.ts';

/**
 * The whole loop with real mail both ways: a complaint arrives by email at the inbound SMTP
 * receiver, an agent takes it, it breaches its SLA and climbs the ladder, the agent answers,
 * the customer's emailed answer is threaded in, and the loop is closed (resolved, informed,
 * thanked, closed). Outgoing mail goes over SMTP to a local receiver standing in for the
 * customer's mailbox.
 */
let harness: Harness;
let mailbox: Awaited<ReturnType<typeof startSmtpReceiver>>;
const customer = 'carla@example.com';
const subject = 'My car will not start after I buy vanilla ice cream';

beforeAll(async () => {
  mailbox = await startSmtpReceiver();
  harness = await startHarness({
    SMTP_URL: mailbox.url,
    MAIL_FROM: 'Rolodex Support <support@rolodex.test>',
    INBOUND_SMTP_PORT: '0',
    INBOUND_SMTP_HOST: '127.0.0.1',
    INBOUND_MAIL_DOMAIN: 'rolodex.test',
  });
});

afterAll(async () => {
  await harness?.stop();
  await mailbox?.close();
});

async function sendAsCustomer(mail: SendMailOptions) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: harness.inboundSmtpPort!,
    secure: false,
    ignoreTLS: true,
  });
  try {
    await transport.sendMail({ from: `Carla Customer <${customer}>`, ...mail });
  } finally {
    transport.close();
  }
}

/** Waits for a mail to the customer matching a test, and returns it. */
async function mailToCustomer(matches: (mail: ReceivedMail) => boolean): Promise<ReceivedMail> {
  let found: ReceivedMail | undefined;
  await expect
    .poll(() => (found = mailbox.received.find((mail) => mail.to.includes(customer) && matches(mail))), {
      timeout: 20_000,
    })
    .toBeTruthy();
  return found!;
}

const header = (mail: ReceivedMail, name: string) =>
  new RegExp(`^${name}:\\s*(.+)$`, 'mi').exec(mail.raw)?.[1]?.trim() ?? '';

async function reloadUntil(page: Page, locator: ReturnType<Page['getByText']>) {
  await expect
    .poll(
      async () => {
        if (await locator.first().isVisible()) return true;
        await page.reload();
        await page.waitForLoadState('networkidle');
        return locator.first().isVisible();
      },
      { timeout: 30_000, interval: 1000 },
    )
    .toBe(true);
}

test('a complaint arrives by email, is taken, breaches and escalates, is answered and its loop is closed', async () => {
  const context = await harness.browser.newContext({
    baseURL: harness.url,
    viewport: { width: 1400, height: 900 },
  });
  const admin = await context.newPage();
  try {
    await setUpWorkspace(admin);
    const address = await apiCall(admin, 'PUT', '/api/v1/inbound-address', { address: 'help@rolodex.test' });
    expect(address.status, JSON.stringify(address.body)).toBe(200);
    const agent = await secondUser(admin, harness.deps.db, 'Alex Agent');

    // The customer writes in. The mail becomes an unowned complaint and is acknowledged by email.
    await sendAsCustomer({
      to: 'help@rolodex.test',
      subject,
      text: 'I want to complain: every time I buy vanilla ice cream my car does not start. Other flavours are fine.',
    });
    const acknowledgement = await mailToCustomer((mail) => /We received/.test(mail.raw));
    const replyTo = header(acknowledgement, 'Reply-To');
    expect(replyTo).toMatch(/^reply\+[\w-]+@rolodex\.test$/);

    await agent.page.bringToFront();
    await agent.page.goto('/items?queue=unowned');
    await reloadUntil(agent.page, agent.page.getByRole('link', { name: subject }));
    await agent.page.getByRole('link', { name: subject }).click();
    await agent.page.getByRole('heading', { level: 1, name: subject }).waitFor();
    const id = agent.page.url().split('/').pop()!;
    const created = (await apiCall<Record<string, unknown>>(agent.page, 'GET', `/api/v1/items/${id}`)).body;
    expect(created).toMatchObject({
      kind: 'complaint',
      channel: 'email',
      status: 'acknowledged',
      ownerId: null,
    });
    expect(created.firstResponseDueAt).not.toBeNull();

    // The agent takes it.
    await agent.page
      .getByRole('toolbar', { name: 'Item actions' })
      .getByRole('button', { name: 'Take' })
      .click();
    await toast(agent.page, 'You own this item now.');

    // Nobody answers for four days: the sweep (run as the job would, with the clock moved on)
    // records both breaches and escalates to the lead, then the manager level.
    harness.deps.clock = () => new Date(Date.now() + 4 * 24 * 3600_000);
    try {
      const sweep = await sweepSla(harness.deps);
      expect(sweep.breaches).toBe(2);
      expect(sweep.escalations).toBe(2);
    } finally {
      harness.deps.clock = undefined;
    }
    await agent.page.reload();
    await agent.page
      .getByText(/First response breached/)
      .first()
      .waitFor();
    await agent.page.getByText('Escalated: Manager').first().waitFor();
    await screenshot(agent.page, 'listening-01-breached');

    // The admin stands at manager level: the escalation reaches the bell.
    await admin.bringToFront();
    await admin.reload();
    await admin.getByRole('button', { name: /Notifications: \d+ unread/ }).click();
    await admin
      .getByRole('list', { name: 'Notifications' })
      .getByText(/escalated to Manager/)
      .first()
      .waitFor();
    await admin.keyboard.press('Escape');

    // The agent answers by email; the customer's emailed answer is threaded into the item.
    await agent.page.bringToFront();
    await agent.page
      .getByRole('toolbar', { name: 'Item actions' })
      .getByRole('button', { name: 'Reply' })
      .click();
    await agent.page
      .getByRole('textbox', { name: 'Your reply to the customer' })
      .fill('Sorry for the wait. Which petrol station was it, and how long were you inside?');
    await agent.page.getByRole('button', { name: /Send reply/ }).click();
    await toast(agent.page, 'Reply queued: its delivery shows on the conversation.');
    const reply = await mailToCustomer((mail) => /Which petrol station/.test(mail.raw));
    expect(header(reply, 'Reply-To')).toBe(replyTo);

    await sendAsCustomer({
      to: replyTo,
      subject: `Re: ${subject}`,
      inReplyTo: header(reply, 'Message-ID'),
      text: 'The one on the corner. Vanilla is at the front, so I am only inside for two minutes.',
    });
    await reloadUntil(agent.page, agent.page.getByText(/I am only inside for two minutes/));
    await screenshot(agent.page, 'listening-02-conversation');

    // Resolve, inform by phone, thank by email, close.
    await agent.page.getByRole('button', { name: 'Resolve…' }).click();
    const resolve = agent.page.getByRole('dialog', { name: /Resolve #/ });
    await resolve.getByLabel('Resolution').fill('Vapour lock after short stops: the fuel line was rerouted.');
    await resolve.getByRole('button', { name: 'Resolve' }).click();
    await toast(agent.page, /Resolved/);

    await agent.page.getByRole('button', { name: 'Inform…' }).click();
    const inform = agent.page.getByRole('dialog', { name: /Inform the customer/ });
    await inform.getByRole('combobox', { name: 'How' }).click();
    await agent.page.getByRole('option', { name: 'Phone call' }).click();
    await inform
      .getByLabel('What the customer was told')
      .fill('Called Carla: explained the vapour lock and the fix.');
    await inform.getByRole('button', { name: 'Record' }).click();
    await toast(agent.page, 'Feedback recorded.');

    await agent.page.getByRole('button', { name: 'Thank…' }).click();
    const thank = agent.page.getByRole('dialog', { name: /Thank the customer/ });
    await expect.poll(() => thank.getByLabel('Thank-you').inputValue()).toMatch(/Carla/);
    await thank.getByRole('button', { name: 'Send thank-you' }).click();
    await toast(agent.page, 'Thank-you recorded.');
    await mailToCustomer((mail) => /Thank you/.test(mail.raw) && /Carla/.test(mail.raw));

    await agent.page.getByRole('button', { name: 'Close…' }).click();
    const close = agent.page.getByRole('dialog', { name: /Close #/ });
    await close.getByText('The customer was informed and thanked').waitFor();
    await close.getByRole('button', { name: 'Close', exact: true }).click();
    await toast(agent.page, /Closed/);
    await screenshot(agent.page, 'listening-03-closed');

    const closed = (await apiCall<Record<string, unknown>>(agent.page, 'GET', `/api/v1/items/${id}`)).body;
    expect(closed).toMatchObject({ status: 'closed', escalationLevel: 'manager', closeReason: null });
    expect(closed.firstResponseBreachedAt).not.toBeNull();
    const events = await apiCall<{ data: { type: string }[] }>(
      agent.page,
      'GET',
      `/api/v1/items/${id}/events?limit=500`,
    );
    const types = events.body.data.map((event) => event.type);
    for (const type of [
      'created',
      'acknowledged',
      'taken',
      'sla_breached',
      'escalated',
      'replied',
      'customer_replied',
      'resolved',
      'informed',
      'thanked',
      'closed',
    ]) {
      expect(types, `events: ${types.join(', ')}`).toContain(type);
    }
    await agent.close();
  } catch (error) {
    await screenshot(admin, 'listening-failure');
    throw error;
  } finally {
    await context.close();
  }
});
