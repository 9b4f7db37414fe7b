import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, screenshot, startHarness } from './harness.ts';
import { apiCall, setUpWorkspace } from './people-helpers.ts';

/**
 * Goals and the dashboard: plant ten weeks of resolved items (some reopened, so first-contact
 * resolution improves week by week), create the essay's plan from the template gallery, read its
 * chart and data table, open the items behind a week, then the dashboard with another period.
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

/**
 * Items resolved over the past ten weeks; the older the week, the more were reopened first. Email
 * items are about passwords, phone items about billing (two categories for the breakdown).
 */
async function plantHistory(page: Page) {
  const now = Date.now();
  const passwords = await ok<{ id: string }>(page, 'POST', '/api/v1/item-categories', { name: 'Passwords' });
  const billing = await ok<{ id: string }>(page, 'POST', '/api/v1/item-categories', { name: 'Billing' });
  try {
    for (let weeksAgo = 10; weeksAgo >= 1; weeksAgo--) {
      for (let index = 0; index < 4; index++) {
        harness.deps.clock = () => new Date(now - weeksAgo * 7 * 86_400_000 + index * 3_600_000);
        const item = await ok<{ id: string }>(page, 'POST', '/api/v1/items', {
          kind: 'question',
          channel: index % 2 === 0 ? 'email' : 'phone',
          categoryId: index % 2 === 0 ? passwords.id : billing.id,
          subject: `How do I reset my password? (week −${weeksAgo}, #${index + 1})`,
          reporterName: `Customer ${weeksAgo}-${index}`,
          reporterEmail: `customer${weeksAgo}-${index}@example.com`,
          acknowledge: false,
        });
        await ok(page, 'POST', `/api/v1/items/${item.id}/resolve`, { resolution: 'Sent the reset link.' });
        // Older weeks: more items came back.
        if (index < Math.floor(weeksAgo / 4)) {
          await ok(page, 'POST', `/api/v1/items/${item.id}/reopen`, {});
          await ok(page, 'POST', `/api/v1/items/${item.id}/resolve`, { resolution: 'Fixed for real.' });
        }
      }
    }
  } finally {
    harness.deps.clock = undefined;
  }
}

test('a goal from the template gallery, its chart and data, and the dashboard', {
  timeout: 240_000,
}, async () => {
  const context = await harness.browser.newContext({
    baseURL: harness.url,
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await setUpWorkspace(page);
  await plantHistory(page);

  // Goals: empty state, then the gallery.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Goals' }).click();
  await page.getByText('No goals yet').waitFor();
  await screenshot(page, 'goals-empty');
  await page.getByRole('main').getByRole('button', { name: 'Start from a template' }).last().click();
  await page.getByRole('button', { name: /Use template: Cut service cost 40%/ }).click();
  await expect.poll(() => page.getByLabel('Title').inputValue()).toMatch(/^Cut service cost 40%/);
  await page.getByTestId('target-preview-1').waitFor();
  expect(await page.getByTestId('target-preview-0').textContent()).toBe('−40% from the baseline');
  expect(await page.getByTestId('target-preview-1').textContent()).toBe('≥ 60%');
  // The plan started ten weeks ago, so that the trend has weeks to fit a forecast to.
  const start = new Date(Date.now() - 70 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('Start').fill(start);
  await screenshot(page, 'goals-form-from-template');
  await page.getByRole('button', { name: 'Create goal' }).click();

  // The goal page: one section per target, each with a chart and its data.
  await page.getByRole('heading', { level: 1, name: /^Cut service cost 40%/ }).waitFor();
  const fcr = page.getByRole('region', { name: /First-contact resolution/i });
  await fcr.locator('.recharts-surface').first().waitFor();
  await fcr.getByText(/Linear trend: a least-squares line/).waitFor();
  await screenshot(page, 'goals-goal-page');
  await fcr.getByRole('button', { name: 'Show data' }).click();
  const table = fcr.getByRole('table', { name: /data behind the chart/ });
  await table.waitFor();
  expect(await table.getByRole('row').count()).toBeGreaterThan(10);
  // The items behind the last full week with data.
  const weekButtons = table.getByRole('button', { name: /^Items of the week of/ });
  const count = await weekButtons.count();
  await weekButtons.nth(count - 2).click();
  const drawer = page.getByRole('dialog');
  await drawer
    .getByRole('link', { name: /How do I reset my password/ })
    .first()
    .waitFor();
  await screenshot(page, 'goals-items-drawer');
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden' });

  // The breakdown by category (one request to the breakdown endpoint); the choice is kept in the URL.
  await fcr.locator('label', { hasText: /^Category$/ }).click();
  const byCategory = fcr.getByRole('table', { name: 'First-contact resolution by category' });
  await byCategory.getByRole('row', { name: /Passwords/ }).waitFor();
  await byCategory.getByRole('row', { name: /Billing/ }).waitFor();
  expect(new URL(page.url()).searchParams.get('by')).toBe('category');
  await screenshot(page, 'goals-breakdown-category');
  await byCategory.getByRole('button', { name: 'Items of Passwords' }).click();
  const categoryItems = page.getByRole('dialog', { name: /Category: Passwords/ });
  await categoryItems
    .getByRole('link', { name: /How do I reset my password/ })
    .first()
    .waitFor();
  await page.keyboard.press('Escape');
  await categoryItems.waitFor({ state: 'hidden' });
  await page.reload();
  await page
    .getByRole('region', { name: /First-contact resolution/i })
    .getByRole('table', { name: 'First-contact resolution by category' })
    .waitFor();

  // The list shows the goal as a card with its sparkline.
  await page.getByRole('link', { name: '← Goals' }).click();
  const card = page.getByRole('article', { name: /^Cut service cost 40%/ });
  await card.locator('svg').first().waitFor();
  await screenshot(page, 'goals-list');

  // A new goal without a title or metric: the messages sit on the fields.
  await page.getByRole('button', { name: 'New goal' }).click();
  await page.getByRole('button', { name: 'Create goal' }).click();
  await page.getByText('Give the goal a title.').waitFor();
  await page.getByText('Choose a metric.').waitFor();
  await screenshot(page, 'goals-form-errors');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  // The dashboard: the defaults, then the last 12 months compared with the year before.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  const fcrCard = page.getByRole('article', { name: /First-contact resolution/i });
  await fcrCard.getByRole('link', { name: /Download .* as CSV/ }).waitFor();
  await screenshot(page, 'goals-dashboard');
  await fcrCard.locator('.recharts-surface').first().waitFor();
  await page.getByRole('combobox', { name: 'Period' }).click();
  await page.getByRole('option', { name: 'Last 12 months' }).click();
  await fcrCard.getByText(/%/).first().waitFor();
  // The period changes through the URL (a navigation): wait for the card to follow.
  const csvLink = fcrCard.getByRole('link', { name: /Download .* as CSV/ });
  await expect.poll(() => csvLink.getAttribute('href')).toMatch(/interval=month/);
  const csv = await csvLink.getAttribute('href');
  expect(csv).toMatch(/format=csv/);
  const download = await page.evaluate(async (href) => (await fetch(href!)).text(), csv);
  expect(download.split('\n')[0]).toMatch(/start/);
  await screenshot(page, 'goals-dashboard-12-months');

  // The period is in the URL: a reload keeps it, back and forward walk through the choices.
  expect(new URL(page.url()).searchParams.get('period')).toBe('last_12_months');
  await page.reload();
  const period = page.getByRole('combobox', { name: 'Period' });
  await expect.poll(() => period.inputValue()).toBe('Last 12 months');
  await page.goBack();
  await expect.poll(() => period.inputValue()).toBe('This month');
  await page.goForward();
  await expect.poll(() => period.inputValue()).toBe('Last 12 months');
  await fcrCard.getByText(/%/).first().waitFor();

  // The breakdown from a card: by category, with the items behind a row.
  await fcrCard.getByRole('button', { name: 'Break down First-contact resolution' }).click();
  const breakdownDrawer = page.getByRole('dialog', { name: /First-contact resolution by/ });
  await breakdownDrawer.locator('label', { hasText: /^Category$/ }).click();
  await breakdownDrawer.getByRole('row', { name: /Billing/ }).waitFor();
  await screenshot(page, 'goals-dashboard-breakdown');
  await page.keyboard.press('Escape');
  await breakdownDrawer.waitFor({ state: 'hidden' });

  // Choose metrics: saved on the server.
  await page.getByRole('button', { name: 'Choose metrics' }).click();
  await screenshot(page, 'goals-dashboard-choose');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  const saved = await ok<{ saved: boolean }>(page, 'GET', '/api/v1/dashboard');
  expect(saved.saved).toBe(true);

  // Dark mode stays readable.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.evaluate(() => localStorage.setItem('rapport-color-scheme', 'dark'));
  await page.reload();
  await fcrCard.locator('.recharts-surface').first().waitFor();
  await screenshot(page, 'goals-dashboard-dark');
  expect(errors).toEqual([]);
  await context.close();
});
