import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, startHarness } from './harness.ts';
import { secondUser } from './items-helpers.ts';
import { apiCall, heading, setUpWorkspace, shot } from './people-helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.stop();
});

test('people list: virtualized keyset scrolling, sort, search, selection, bulk, filters, views, columns', async () => {
  const context = await harness.browser.newContext({
    baseURL: harness.url,
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await setUpWorkspace(page);
  const me = await apiCall<{ user: { id: string } }>(page, 'GET', '/api/v1/me');
  const marguerite = await apiCall<{ id: string }>(page, 'POST', '/api/v1/people', {
    givenName: 'Marguerite',
    familyName: 'Duras',
    ownerId: me.body.user.id,
  });
  expect(marguerite.status).toBe(201);

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
  // Back steps through what was searched and sorted, and the search box follows.
  await page.goBack();
  await expect.poll(() => page.url()).not.toContain('q=');
  expect(page.url()).toContain('sort=-name');
  await expect.poll(() => page.getByLabel('Search this list').inputValue()).toBe('');
  await page.goBack();
  await expect.poll(() => page.url()).not.toContain('sort=');
  await page.goForward();
  await expect.poll(() => page.url()).toContain('sort=-name');
  await expect.poll(() => table.locator('th[aria-sort="descending"]').count()).toBe(1);
  // A pause in typing sends the search; the box keeps what was typed (the trailing space too).
  const box = page.getByLabel('Search this list');
  await box.pressSequentially('marguerite ');
  await expect.poll(() => page.url()).toContain('q=marguerite');
  await page.waitForTimeout(300);
  expect(await box.inputValue()).toBe('marguerite ');
  await box.fill('');

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
  await page.getByRole('combobox', { name: 'Tags (all of them)' }).fill('vip');
  await page.getByRole('combobox', { name: 'Tags (all of them)' }).press('Enter');
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

  // Gone quiet and the people list read the staff list each their own way, one after the other.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Gone quiet' }).click();
  await heading(page, 'Gone quiet');
  await nav.getByRole('link', { name: 'People', exact: true }).click();
  await heading(page, 'People');
  await table.getByRole('row').nth(3).waitFor();

  // An agent (who may not list users or export) sees the owners' names, and no export.
  const agent = await secondUser(page, harness.deps.db, 'Ana Agent');
  await agent.page.goto('/people?q=marguerite');
  const agentTable = agent.page.getByRole('table', { name: 'People' });
  await agentTable.getByRole('link', { name: 'Marguerite Duras' }).waitFor();
  await agentTable.getByText('Rita Admin', { exact: true }).waitFor();
  await agentTable.getByRole('checkbox', { name: 'Select row' }).first().click();
  const agentBar = agent.page.getByRole('region', { name: 'Bulk actions' });
  await agentBar.getByText('1 selected').waitFor();
  expect(await agentBar.getByRole('button', { name: 'Export selected' }).count()).toBe(0);
  await agent.page.goto(`/people/${marguerite.body.id}`);
  const ownerInput = agent.page.getByLabel('Owner', { exact: true }).and(agent.page.locator('input'));
  await expect.poll(() => ownerInput.inputValue()).toBe('Rita Admin');
  await agent.close();

  // Narrow screens: the list still scrolls and shows its first columns.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/people');
  await heading(page, 'People');
  await table.getByRole('row').nth(3).waitFor();
  await shot(page, 'people-08-list-narrow');

  expect(pageErrors).toEqual([]);
  await context.close();
}, 300_000);
