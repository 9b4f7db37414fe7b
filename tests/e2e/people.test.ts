import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, startHarness } from './harness.ts';

let harness: Harness;
const shots = '/tmp/shots';

beforeAll(async () => {
  harness = await startHarness();
  mkdirSync(shots, { recursive: true });
});

afterAll(async () => {
  await harness?.stop();
});

async function shot(page: Page, name: string, fullPage = false) {
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage });
}

async function heading(page: Page, name: string | RegExp) {
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

/** Calls the API from the page with the session cookie and its CSRF token. */
async function apiCall<T>(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = await (await fetch('/api/v1/me')).json();
      const response = await fetch(path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    { method, path, body },
  );
}

async function setUp(page: Page) {
  await page.goto('/');
  await heading(page, 'Set up your workspace');
  await page.getByLabel('Workspace name').fill('Rolodex Ltd');
  await page.getByLabel('Your name').fill('Rita Admin');
  await page.getByLabel('Email').fill('rita@example.com');
  await page.getByLabel(/^Password/).fill('correct horse battery');
  await page.getByLabel(/^Password/).press('Enter');
  await heading(page, 'Welcome, Rita');
}

test('people: create, edit, conflict, search, list and organizations', async () => {
  const context = await harness.browser.newContext({
    baseURL: harness.url,
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await setUp(page);

  // A new workspace: the people list offers to add or import.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'People', exact: true })
    .click();
  await heading(page, 'People');
  await page.getByRole('heading', { name: 'No people yet' }).waitFor();
  await shot(page, 'people-01-empty');

  // Create a person with the keyboard shortcut.
  await page.keyboard.press('n');
  const modal = page.getByRole('dialog', { name: 'New person' });
  await modal.getByLabel('Given name').fill('Marguerite');
  await modal.getByLabel('Family name').fill('Duras');
  await modal.getByLabel('Email').fill('not-an-email');
  await modal.getByRole('button', { name: 'Create person' }).click();
  await modal.getByText(/is not an email address/).waitFor();
  await shot(page, 'people-02-new-person-error');
  await modal.getByLabel('Email').fill('Marguerite@Example.com');
  await modal.getByLabel('Phone').fill('+33 1 42 68 53 00');
  await modal.getByLabel('Tags').fill('author');
  await modal.getByLabel('Tags').press('Enter');
  await modal.getByRole('button', { name: 'Create person' }).click();

  // The person page: edit the job title and save.
  await heading(page, 'Marguerite Duras');
  const personId = page.url().split('/').pop() ?? '';
  await page.getByLabel('Job title').fill('Novelist');
  await page.getByRole('region', { name: 'Unsaved changes' }).waitFor();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Novelist', { exact: true }).first().waitFor();
  await expect
    .poll(
      async () =>
        (await apiCall<{ jobTitle: string }>(page, 'GET', `/api/v1/people/${personId}`)).body.jobTitle,
    )
    .toBe('Novelist');
  await shot(page, 'people-03-person', true);

  // A 422 lands on the right input.
  await page.getByRole('button', { name: 'Add phone' }).click();
  await page.getByLabel('Phones 2').fill('12');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect.poll(() => page.getByLabel('Phones 2').getAttribute('aria-invalid')).toBe('true');
  await page.getByText('Check the highlighted fields.').waitFor();
  await shot(page, 'people-03b-field-error');
  await page.getByRole('button', { name: 'Remove phone 2' }).click();

  // Someone else saves meanwhile: the next save is refused and nothing is overwritten.
  const current = await apiCall<{ version: number }>(page, 'GET', `/api/v1/people/${personId}`);
  const other = await apiCall(page, 'PATCH', `/api/v1/people/${personId}`, {
    pronouns: 'she/her',
    version: current.body.version,
  });
  expect(other.status).toBe(200);
  await page.getByLabel('Source').fill('Book fair');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page
    .getByText('Someone else saved this person; reload to see their changes', { exact: false })
    .first()
    .waitFor();
  await shot(page, 'people-04-conflict');
  await page.getByRole('button', { name: 'Reload' }).first().click();
  await expect.poll(() => page.getByLabel('Pronouns').inputValue()).toBe('she/her');
  expect(await page.getByLabel('Source').inputValue()).toBe('');

  // Log a call from her page; it shows on her timeline.
  await page.getByRole('main').getByRole('button', { name: 'Log interaction' }).click();
  const logModal = page.getByRole('dialog', { name: 'Log an interaction' });
  await logModal.getByLabel('Summary').fill('Called about the new novel');
  await shot(page, 'people-04b-log-call');
  await logModal.getByRole('button', { name: 'Save' }).click();
  await logModal.waitFor({ state: 'hidden' });
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await page.getByText('Called about the new novel').first().waitFor();
  await shot(page, 'people-04c-timeline');

  // Find her with a misspelt part of her name in the "/" search.
  await page.goto('/');
  await heading(page, /Welcome/);
  await page.keyboard.press('/');
  await page.keyboard.type('Margerite');
  const option = page.getByRole('option', { name: 'Marguerite Duras' });
  await option.waitFor();
  await shot(page, 'people-05-search');
  await page.keyboard.press('Enter');
  await heading(page, 'Marguerite Duras');

  // An organization with a person working there.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organizations' }).click();
  await heading(page, 'Organizations');
  await page.getByRole('button', { name: 'New organization' }).click();
  const orgModal = page.getByRole('dialog', { name: 'New organization' });
  await orgModal.getByLabel('Name').fill('Éditions de Minuit');
  await orgModal.getByRole('button', { name: 'Create organization' }).click();
  await heading(page, 'Éditions de Minuit');
  const orgId = page.url().split('/').pop() ?? '';
  const v = await apiCall<{ version: number }>(page, 'GET', `/api/v1/people/${personId}`);
  await apiCall(page, 'PATCH', `/api/v1/people/${personId}`, {
    organizationId: orgId,
    version: v.body.version,
  });
  await page.reload();
  await page.getByRole('link', { name: 'Marguerite Duras' }).waitFor();
  await shot(page, 'organization-01');

  // 300 people: the list renders only what is on screen and loads pages as it scrolls.
  const created = await page.evaluate(async () => {
    const me = await (await fetch('/api/v1/me')).json();
    const stages = ['prospect', 'customer', 'influencer', 'partner'];
    let ok = 0;
    for (let start = 0; start < 300; start += 20) {
      const batch = Array.from({ length: 20 }, (_, i) => start + i).map((n) =>
        fetch('/api/v1/people', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
          body: JSON.stringify({
            givenName: `Person${String(n).padStart(4, '0')}`,
            familyName: 'Bulk',
            stage: stages[n % 4],
            emails: [{ value: `p${n}@example.com` }],
            tags: n % 2 ? ['odd'] : ['even'],
          }),
        }).then((r) => (r.ok ? 1 : 0)),
      );
      ok += (await Promise.all(batch)).reduce<number>((a, b) => a + b, 0);
    }
    return ok;
  });
  expect(created).toBe(300);
  await page.goto('/people');
  await heading(page, 'People');
  const table = page.getByRole('table', { name: 'People' });
  await table.getByRole('row').nth(5).waitFor();
  const rendered = await table.locator('tbody tr').count();
  expect(rendered).toBeLessThan(80);
  await shot(page, 'people-06-list');
  await expect.poll(() => page.getByText(/^100 loaded/).count()).toBe(1);
  for (let i = 0; i < 8; i++) {
    await table.evaluate((element) => {
      const scroller = element.parentElement as HTMLElement;
      scroller.scrollTop = scroller.scrollHeight;
    });
    await page.waitForTimeout(250);
  }
  await expect
    .poll(async () => (await page.getByText(/\d+ loaded/).textContent()) ?? '')
    .toMatch(/^(2|3)\d\d loaded/);

  // Sort by clicking a header; filter by stage; search as you type.
  await table.getByRole('button', { name: /Name/ }).click();
  await expect.poll(() => table.locator('th[aria-sort="descending"]').count()).toBe(1);
  expect(page.url()).toContain('sort=-name');
  await page.getByLabel('Search this list').fill('marguerite');
  await expect.poll(() => page.getByText(/^1 loaded/).count()).toBe(1);
  await table.getByRole('link', { name: 'Marguerite Duras' }).waitFor();
  expect(page.url()).toContain('q=marguerite');
  await page.getByLabel('Search this list').fill('');

  // Select a range with shift-click; the bulk bar appears.
  await page.getByText(/^\d+ loaded/).waitFor();
  const boxes = table.getByRole('checkbox', { name: 'Select row' });
  await boxes.nth(1).click();
  await boxes.nth(4).click({ modifiers: ['Shift'] });
  await page.getByRole('region', { name: 'Bulk actions' }).getByText('4 selected').waitFor();
  await shot(page, 'people-07-selection');
  const bulkBar = page.getByRole('region', { name: 'Bulk actions' });

  // Bulk: tag the four, then delete them and undo.
  await bulkBar.getByRole('button', { name: 'Edit…' }).click();
  await page.getByRole('menuitem', { name: 'Add tags' }).click();
  const tagDialog = page.getByRole('dialog', { name: 'Add tags' });
  await tagDialog.getByLabel('Tags').fill('vip');
  await tagDialog.getByLabel('Tags').press('Enter');
  await tagDialog.getByRole('button', { name: 'Add to 4' }).click();
  await page.getByText('Tags added: 4 people.').waitFor();
  const tagged = await apiCall<{ data: unknown[] }>(page, 'GET', '/api/v1/people?tag=vip');
  expect(tagged.body.data).toHaveLength(4);
  await bulkBar.getByRole('button', { name: 'Delete' }).click();
  await page
    .getByRole('dialog', { name: 'Delete 4 people?' })
    .getByRole('button', { name: 'Delete' })
    .click();
  await page.getByText('Deleted: 4 people.').waitFor();
  expect((await apiCall<{ data: unknown[] }>(page, 'GET', '/api/v1/people?tag=vip')).body.data).toHaveLength(
    0,
  );
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByText('Restored: 4 people.').waitFor();
  expect((await apiCall<{ data: unknown[] }>(page, 'GET', '/api/v1/people?tag=vip')).body.data).toHaveLength(
    4,
  );

  // Filters, a saved view and the column chooser.
  await page.getByRole('button', { name: 'Filters' }).click();
  await page.getByRole('textbox', { name: 'Tags (all of them)' }).fill('vip');
  await page.getByRole('textbox', { name: 'Tags (all of them)' }).press('Enter');
  await expect.poll(() => page.url()).toContain('tag=vip');
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByText(/^4 loaded/).count()).toBe(1);
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('menuitem', { name: 'Job title' }).click();
  await page.keyboard.press('Escape');
  await table.getByRole('columnheader', { name: 'Job title' }).waitFor();
  await page.getByRole('button', { name: 'Views' }).click();
  await page.getByRole('menuitem', { name: 'Save current view…' }).click();
  const viewDialog = page.getByRole('dialog', { name: 'Save this view' });
  await viewDialog.getByLabel('Name').fill('VIPs');
  await viewDialog.getByRole('button', { name: 'Save view' }).click();
  await page.getByText('View "VIPs" saved.').waitFor();
  await page.goto('/people');
  await heading(page, 'People');
  await expect.poll(() => page.getByText(/^4 loaded/).count()).toBe(0);
  await page.getByRole('button', { name: 'Views' }).click();
  await page.getByRole('menuitem', { name: /VIPs/ }).click();
  await expect.poll(() => page.getByText(/^4 loaded/).count()).toBe(1);
  await shot(page, 'people-07b-view');

  // Narrow screens: the list, the person page and the search still work.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/people');
  await heading(page, 'People');
  await table.getByRole('row').nth(3).waitFor();
  await shot(page, 'people-08-list-narrow');
  await page.goto(`/people/${personId}`);
  await heading(page, 'Marguerite Duras');
  await shot(page, 'people-09-person-narrow', true);

  expect(pageErrors).toEqual([]);
  await context.close();
}, 300_000);
