import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, startHarness } from './harness.ts';
import { secondUser, toast } from './items-helpers.ts';
import { apiCall, setUpWorkspace, shot } from './people-helpers.ts';

/**
 * Service costs: an admin sets the cost settings on their page (validation, preview of last
 * month, back-dating confirmation), an agent records time on an item, and the total service cost
 * on the dashboard moves by the hand-computed amount.
 *   Settings: 60 an hour; email 3 per contact + 10 min estimated; phone 6 per contact + 20 min.
 *   Last month: three email items and one phone item → 3 × (10 + 3) + (20 + 6) = 65.
 *   Today: one phone item → 20 + 6 = 26; after the agent records 5 + 25 min → 30 + 6 = 36.
 */
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});

async function ok<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const response = await apiCall<T>(page, method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDay = (date: Date) =>
  `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;

async function item(page: Page, channel: string, subject: string) {
  return ok<{ id: string }>(page, 'POST', '/api/v1/items', {
    kind: 'request',
    channel,
    subject,
    reporterName: 'Carla Customer',
    acknowledge: false,
  });
}

test('an admin sets service costs, an agent records time, the cost metric follows', {
  timeout: 240_000,
}, async () => {
  const context = await harness.browser.newContext({
    baseURL: harness.url,
    viewport: { width: 1400, height: 900 },
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await setUpWorkspace(page);

  const now = new Date();
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15, 10));
  const lastMonthStart = isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));
  try {
    harness.deps.clock = () => lastMonth;
    for (const index of [1, 2, 3]) await item(page, 'email', `Where is my parcel? (${index})`);
    await item(page, 'phone', 'Called about an invoice');
  } finally {
    harness.deps.clock = undefined;
  }
  const today = await item(page, 'phone', 'The heating does not work');

  // The settings page, from the navigation: empty state first.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Service costs' }).click();
  await page.getByRole('heading', { level: 1, name: 'Service costs' }).waitFor();
  await page
    .getByTestId('costs-empty')
    .getByText(/handling minutes ÷ 60 × hourly staff cost/)
    .waitFor();
  expect(await page.getByLabel('In force from').inputValue()).toBe(isoDay(now));
  await shot(page, 'h2-costs-empty', true);

  // Messages from the shared schema, on the fields.
  await page.getByLabel('Currency').fill('E1');
  await page.getByLabel('Estimated handling minutes, Email').fill('20000');
  await page.getByRole('button', { name: 'Save version' }).click();
  await page.getByText('Must be a three-letter currency code such as EUR.').waitFor();
  await page.getByText('Must be an amount such as 6 or 0.1.').waitFor();
  await page.getByText('Must be at most 10,000 minutes.').waitFor();
  await shot(page, 'h2-costs-errors', true);

  await page.getByLabel('Currency').fill('EUR');
  await page.getByLabel('Hourly staff cost').fill('60');
  await page.getByLabel('Cost per contact, Email').fill('3');
  await page.getByLabel('Cost per contact, Phone').fill('6');
  await page.getByLabel('Estimated handling minutes, Email').fill('10');
  await page.getByLabel('Estimated handling minutes, Phone').fill('20');
  // The preview prices last month with the draft: 3 × 13 + 26 = 65 for 4 items.
  const preview = page.getByTestId('cost-preview');
  await preview.getByText(/4 items created in .* would cost €65\.00, €16\.25 per request/).waitFor();
  expect(await preview.getByRole('row').count()).toBe(3); // header, email, phone
  await shot(page, 'h2-costs-preview', true);

  // Back-dated to the start of last month: a confirmation says which items are repriced.
  await page.getByLabel('In force from').fill(lastMonthStart);
  await page.getByRole('button', { name: 'Save version' }).click();
  const confirm = page.getByRole('dialog', { name: 'Change the costs of past items?' });
  await confirm.getByText(/changes history: the items created from/).waitFor();
  await shot(page, 'h2-costs-backdate');
  await confirm.getByRole('button', { name: 'Reprice past items' }).click();
  await toast(page, 'The cost metrics now use these costs.');
  await page.getByRole('heading', { name: 'In force today' }).waitFor();
  expect(await page.getByTestId('hourly-cost').textContent()).toBe('€60.00');
  await preview.getByText(/With the costs saved for that month: €65\.00/).waitFor();

  // A version for next year, then deleted again (it has not priced anything yet).
  const nextYear = `${now.getUTCFullYear() + 1}-01-01`;
  await page.getByLabel('In force from').fill(nextYear);
  await page.getByLabel('Hourly staff cost').fill('70');
  await page.getByRole('button', { name: 'Save version' }).click();
  await toast(page, /These costs apply from/);
  const history = page.getByRole('table', { name: 'Versions of the cost settings' });
  await history.locator('tr[data-status="scheduled"]').waitFor();
  expect(await history.locator('tr[data-status="current"]').count()).toBe(1);
  await shot(page, 'h2-costs-history', true);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'h2-costs-narrow-dark', true);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1400, height: 900 });
  await history.getByRole('button', { name: /^Delete the version from/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete version' }).click();
  await toast(page, /was deleted/);
  await history.locator('tr[data-status="scheduled"]').waitFor({ state: 'detached' });

  // The dashboard's total service cost for this month: today's phone item at its estimate.
  const dashboard = async (expected: string) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    const card = page.getByRole('article', { name: 'Total service cost' });
    await card.getByText(expected, { exact: true }).first().waitFor();
    return card;
  };
  await dashboard('26.00');

  // An agent records time on the item: +5, then 25 typed; 30 minutes replace the 20-minute estimate.
  const agent = await secondUser(page, harness.deps.db, 'Ana Agent');
  await agent.page.goto(`/items/${today.id}`);
  const time = agent.page.getByRole('region', { name: 'Time spent' });
  await time.getByText('None recorded').waitFor();
  await time.getByRole('button', { name: '+5 min' }).click();
  await time.getByTestId('time-spent').getByText('5 min').waitFor();
  await time.getByLabel('Minutes spent').fill('2000');
  await time.getByRole('button', { name: 'Add' }).click();
  await time.getByText('Must be at most 1440 minutes (24 hours) per entry.').waitFor();
  await time.getByLabel('Minutes spent').fill('25');
  await time.getByRole('button', { name: 'Add' }).click();
  await time.getByTestId('time-spent').getByText('30 min').waitFor();
  await shot(agent.page, 'h2-item-time', true);
  // The agent may not configure costs.
  expect(
    await agent.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Service costs' })
      .count(),
  ).toBe(0);
  await agent.page.goto('/settings/costs');
  await agent.page.getByText("You don't have access").waitFor();
  await agent.close();

  const metric = await ok<{ total: { value: number } }>(
    page,
    'GET',
    `/api/v1/metrics/total_service_cost?from=${isoDay(now)}&to=${isoDay(now)}&interval=day`,
  );
  expect(metric.total.value).toBe(36);
  await page.reload();
  const card = await dashboard('36.00');
  await shot(page, 'h2-dashboard-cost', true);
  expect(await card.getByText('26.00', { exact: true }).count()).toBe(0);
  expect(errors).toEqual([]);
  await context.close();
});
