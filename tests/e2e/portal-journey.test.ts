import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, screenshot, startHarness } from './harness.ts';
import { apiCall, setUpWorkspace } from './people-helpers.ts';

/**
 * A customer on a phone (375 px wide) uses the portal: asks for a sign-in link, reads it from the
 * outbox, signs in, corrects a phone number, sets terms to "no marketing" (and staff are then
 * refused a marketing mail), submits a complaint and replies in it, votes on a suggestion and
 * downloads their data.
 */
let harness: Harness;
let staff: Page;
let phone: BrowserContext;
const email = 'pia@example.com';

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});

async function outboxLink(): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      async () => {
        const outbox = await apiCall<{ data: { to: string; subject: string; text: string }[] }>(
          staff,
          'GET',
          '/api/v1/outbox',
        );
        const mail = outbox.body.data.find((row) => row.to === email && /sign-in link/.test(row.subject));
        link = mail ? /(https?:\/\/\S+#token=[A-Za-z0-9_-]+)/.exec(mail.text)?.[1] : undefined;
        return link;
      },
      { timeout: 10_000 },
    )
    .toBeTruthy();
  return link!;
}

test('a customer manages their side of the relationship from a phone', async () => {
  const desk = await harness.browser.newContext({
    baseURL: harness.url,
    viewport: { width: 1280, height: 900 },
  });
  staff = await desk.newPage();
  await setUpWorkspace(staff);

  // Staff: a customer record, a suggestion on the board, an article.
  const person = await apiCall<{ id: string }>(staff, 'POST', '/api/v1/people', {
    givenName: 'Pia',
    familyName: 'Portal',
    emails: [{ value: email, primary: true }],
    phones: [{ value: '+44 20 7946 0000', label: 'mobile', primary: true }],
  });
  expect(person.status).toBe(201);
  const suggestion = await apiCall<{ id: string }>(staff, 'POST', '/api/v1/items', {
    kind: 'suggestion',
    subject: 'Dark mode for the invoices page',
    acknowledge: false,
  });
  expect(suggestion.status).toBe(201);
  const onBoard = await apiCall(staff, 'PATCH', `/api/v1/portal/suggestions/${suggestion.body.id}`, {
    boardStatus: 'planned',
    boardResponse: 'Coming in the spring release.',
  });
  expect(onBoard.status).toBe(200);

  // The customer, on a phone.
  phone = await harness.browser.newContext({ baseURL: harness.url, viewport: { width: 375, height: 740 } });
  const page = await phone.newPage();
  await page.goto('/portal');
  await page.getByRole('link', { name: 'Sign in' }).first().click();
  await page.getByLabel('Your email').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.getByRole('heading', { name: 'Check your mail' }).waitFor();
  await screenshot(page, 'portal-01-check-mail');

  await page.goto(await outboxLink());
  await page.getByRole('heading', { name: /Hello, Pia/ }).waitFor();
  await screenshot(page, 'portal-02-home');

  // Correct a phone number.
  await page.getByRole('link', { name: 'My data' }).first().click();
  await page.getByLabel('Phone 1').fill('+44 20 7946 0999');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect
    .poll(
      async () =>
        (await apiCall<{ phones: { value: string }[] }>(staff, 'GET', `/api/v1/people/${person.body.id}`))
          .body.phones[0]?.value,
    )
    .toMatch(/7946 ?0999/);
  await screenshot(page, 'portal-03-my-data');

  // Terms: no marketing (and product news allowed), then staff are refused a marketing mail.
  await page.getByRole('link', { name: 'My terms' }).first().click();
  const marketing = page.getByRole('checkbox', { name: 'Marketing and offers' });
  await marketing.waitFor();
  if (await marketing.isChecked()) await marketing.uncheck();
  await page.getByRole('button', { name: 'Save my terms' }).click();
  await page
    .getByText(/version 1/i)
    .first()
    .waitFor();
  await screenshot(page, 'portal-04-terms');
  const refused = await apiCall<{ detail: string }>(
    staff,
    'POST',
    `/api/v1/people/${person.body.id}/messages`,
    {
      purpose: 'marketing',
      subject: 'Spring offers',
      body: 'Twenty percent off.',
    },
  );
  expect(refused.status).toBe(409);
  expect(refused.body.detail).toMatch(/marketing/i);

  // A complaint, and a reply in it.
  await page.getByRole('link', { name: 'My requests' }).first().click();
  await page
    .getByRole('link', { name: /Tell us something/ })
    .first()
    .click();
  await page.getByLabel('Complaint').check();
  await page.getByLabel(/Subject/).fill('The invoice PDF is empty');
  await page.getByLabel(/Details/).fill('Since Monday every invoice I download is a blank page.');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.getByRole('heading', { name: /The invoice PDF is empty/ }).waitFor();
  await page.getByLabel(/reply/i).fill('It happens in Firefox and in Chrome.');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await page.getByText('It happens in Firefox and in Chrome.').waitFor();
  await screenshot(page, 'portal-05-complaint');
  const items = await apiCall<{ data: { subject: string; channel: string; personId: string }[] }>(
    staff,
    'GET',
    '/api/v1/items?limit=50',
  );
  const complaint = items.body.data.find((item) => item.subject === 'The invoice PDF is empty');
  expect(complaint).toMatchObject({ channel: 'portal', personId: person.body.id });

  // Vote on the suggestion.
  await page.getByRole('link', { name: 'Suggestions' }).first().click();
  await page.getByText('Dark mode for the invoices page').waitFor();
  await page.getByRole('button', { name: /^Vote/ }).first().click();
  await page.getByRole('button', { name: /Voted/ }).first().waitFor();
  await screenshot(page, 'portal-06-suggestions');

  // Download my data.
  await page.getByRole('link', { name: 'My data' }).first().click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Download my data/ }).click(),
  ]);
  const file = await download.path();
  const data = readFileSync(file!, 'utf8');
  expect(data).toContain('The invoice PDF is empty');
  expect(data).toContain(email);
  await screenshot(page, 'portal-07-download');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
});
