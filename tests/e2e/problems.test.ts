import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, screenshot, startHarness } from './harness.ts';
import { heading, setUpWorkspace } from './people-helpers.ts';
import { apiOk, outbox, plantIceCreamTrips } from './problems-helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.stop();
});

function nav(page: Page) {
  return page.getByRole('navigation', { name: 'Main' });
}

async function toast(page: Page, text: string | RegExp) {
  await page.locator('.mantine-Notification-root').filter({ hasText: text }).first().waitFor();
}

async function settingsTab(page: Page, name: string) {
  await page.getByRole('tab', { name }).click();
}

test('an admin sets business hours and an SLA policy; a problem linking 20 items is compared, fixed and closed', async () => {
  const context = await harness.browser.newContext({
    baseURL: harness.url,
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    await journey(page, pageErrors);
  } catch (error) {
    await screenshot(page, 'problems-failure');
    throw error;
  } finally {
    await context.close();
  }
});

async function journey(page: Page, pageErrors: string[]) {
  await setUpWorkspace(page);

  // ---- Listening settings: business hours ----
  await nav(page).getByRole('link', { name: 'Listening' }).click();
  await heading(page, 'Listening settings');
  await settingsTab(page, 'Business hours');
  const zone = page.getByRole('combobox', { name: 'Time zone' });
  await zone.click();
  await zone.fill('Amsterdam');
  await page.getByRole('option', { name: 'Europe/Amsterdam' }).click();
  await page.getByRole('switch', { name: 'Around the clock (24/7)' }).uncheck();
  // The server's 422 lands on the field it is about.
  await page.getByRole('textbox', { name: 'Friday closes' }).fill('08:00');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Must be after the start (09:00); use 24:00 for midnight.').waitFor();
  await page.getByRole('textbox', { name: 'Friday closes' }).fill('16:00');
  await page.getByLabel('Add a holiday').fill('2026-12-25');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page
    .getByRole('tab', { name: /Business hours/ })
    .locator('[aria-label="unsaved changes"]')
    .waitFor();
  await screenshot(page, 'problems-01-business-hours');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await toast(page, 'Business hours saved');
  const hours = await apiOk<{
    timeZone: string;
    schedule: { day: number; end: string }[];
    holidays: string[];
  }>(page, 'GET', '/api/v1/business-hours');
  expect(hours.timeZone).toBe('Europe/Amsterdam');
  expect(hours.schedule).toHaveLength(5);
  expect(hours.schedule.find((entry) => entry.day === 5)?.end).toBe('16:00');
  expect(hours.holidays).toEqual(['2026-12-25']);

  // ---- SLA policy: a wrong duration is pointed out on the field, then saved ----
  await settingsTab(page, 'SLA policies');
  const first = page.getByRole('textbox', { name: 'First response, Complaint, urgent' });
  await first.fill('soon');
  await page.getByRole('textbox', { name: 'Resolution, Complaint, urgent' }).fill('1h 30m');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Write a duration such as 4h').first().waitFor();
  await first.fill('30m');
  await page.getByRole('textbox', { name: 'Resolution, Complaint, low' }).fill('');
  await screenshot(page, 'problems-02-sla-grid');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await toast(page, 'SLA policies saved');
  const sla = await apiOk<{
    usingDefaults: boolean;
    policies: {
      kind: string;
      priority: string;
      firstResponseMinutes: number | null;
      resolutionMinutes: number | null;
    }[];
  }>(page, 'GET', '/api/v1/sla-policies');
  expect(sla.usingDefaults).toBe(false);
  const urgent = sla.policies.find((p) => p.kind === 'complaint' && p.priority === 'urgent');
  expect(urgent).toMatchObject({ firstResponseMinutes: 30, resolutionMinutes: 90 });
  const low = sla.policies.find((p) => p.kind === 'complaint' && p.priority === 'low');
  expect(low?.resolutionMinutes ?? null).toBeNull();

  // ---- A glance at the other tabs ----
  await settingsTab(page, 'Message templates');
  await page.getByRole('textbox', { name: 'Subject' }).waitFor();
  await page.getByLabel('Preview').getByText('Ana Example').first().waitFor();
  await screenshot(page, 'problems-03-templates');
  await settingsTab(page, 'Escalation rules');
  await page.getByText('You are using the built-in rules').waitFor();
  await page.getByRole('button', { name: 'Add a rule' }).click();
  await screenshot(page, 'problems-03a-escalation-rules');
  // Leaving with unsaved changes asks first; staying keeps them.
  const asked: string[] = [];
  page.once('dialog', (dialog) => {
    asked.push(dialog.message());
    void dialog.dismiss();
  });
  await nav(page).getByRole('link', { name: 'Problems' }).click();
  await expect.poll(() => asked.length).toBe(1);
  expect(asked[0]).toContain('unsaved changes');
  await heading(page, 'Listening settings');
  await page.getByRole('button', { name: 'Remove rule 4' }).waitFor();
  await page.getByRole('button', { name: 'Remove rule 4' }).click();
  await settingsTab(page, 'Teams and ladder');
  await page.getByRole('textbox', { name: 'New team name' }).fill('Support Europe');
  await page.getByRole('button', { name: 'Add team' }).click();
  await toast(page, 'Team Support Europe created.');
  await page.getByRole('combobox', { name: 'Team of Rita Admin' }).click();
  await page.getByRole('option', { name: 'Support Europe' }).click();
  await toast(page, 'Rita Admin updated.');
  await screenshot(page, 'problems-03b-teams');

  // ---- The planted data set: 20 failing trips with vanilla, 50 others of which 22% vanilla ----
  const planted = await plantIceCreamTrips(page);
  await settingsTab(page, 'Categories');
  await page.getByText("Car won't start").first().waitFor();
  // The observation template grows a field through the editor.
  await page.getByRole('button', { name: 'Edit' }).click();
  const categoryDialog = page.getByRole('dialog', { name: "Edit Car won't start" });
  await categoryDialog.getByRole('button', { name: 'Add a field' }).click();
  await categoryDialog.getByLabel('Label').last().fill('Outside temperature');
  expect(await categoryDialog.getByLabel('Key').last().inputValue()).toBe('outside_temperature');
  await categoryDialog
    .getByRole('textbox', { name: 'Type' })
    .or(categoryDialog.getByRole('combobox', { name: 'Type' }))
    .last()
    .click();
  await page.getByRole('option', { name: 'Number' }).click();
  await screenshot(page, 'problems-04a-category-editor');
  await categoryDialog.getByRole('button', { name: 'Save category' }).click();
  await toast(page, "Category Car won't start saved.");
  await page.getByText('Outside temperature · number').waitFor();
  await screenshot(page, 'problems-04-categories');

  // ---- A problem from a selection (as the items list does it) ----
  await page.goto(`/problems/new?items=${planted.linkedIds.join(',')}`);
  await heading(page, 'New problem');
  await page.getByText('20 selected items will be linked').waitFor();
  await page.getByRole('button', { name: 'Create problem' }).click();
  await page.getByText('Title is required.').waitFor();
  await page.getByLabel('Title').fill("Cars won't start after the ice-cream stop");
  await page.getByLabel('Hypothesis').fill('Something about the flavour bought.');
  await page.getByRole('button', { name: 'Create problem' }).click();
  await heading(page, "Cars won't start after the ice-cream stop");
  expect(page.url()).toMatch(/\/problems\/[0-9a-f-]{36}$/);

  // The compare panel shows the planted distribution, vanilla first.
  const flavour = page.getByRole('region', { name: 'Observation flavour' });
  await flavour.getByText('flavour = vanilla: 100% of linked vs 22% of others').waitFor();
  await page.getByText('20 linked items vs 50 comparable items').waitFor();
  const linkedTable = page.getByRole('table', { name: 'Linked items' });
  await linkedTable.getByText('Driver 20', { exact: true }).waitFor();
  await screenshot(page, 'problems-05-problem-compare');

  // Link one more item by searching its subject, then unlink it again (after a confirmation).
  await page.getByRole('button', { name: 'Link items' }).click();
  const linkDialog = page.getByRole('dialog', { name: 'Link items to this problem' });
  await linkDialog.getByLabel('Find items').fill('Trip report 50');
  await linkDialog.getByRole('checkbox', { name: 'Select #70 Trip report 50' }).check();
  await linkDialog.getByRole('button', { name: 'Link 1 item' }).click();
  await toast(page, '1 item linked.');
  await page.getByText('21 linked items, 21 not closed yet').waitFor();
  await page.getByRole('button', { name: 'Unlink #70' }).click();
  await page.getByRole('dialog', { name: 'Unlink #70?' }).getByRole('button', { name: 'Unlink' }).click();
  await toast(page, '#70 is no longer linked.');
  await page.getByText('20 linked items, 20 not closed yet').waitFor();
  await page.getByText('20 linked items vs 50 comparable items').waitFor();

  // Edit the hypothesis in place; someone else saving first gives a conflict, not an overwrite.
  const problemId = page.url().split('/').pop() ?? '';
  await apiOk(page, 'PATCH', `/api/v1/problems/${problemId}`, { status: 'identified', version: 1 });
  await page.getByLabel('Hypothesis').fill('Vanilla is quick to buy: the engine is still hot (vapour lock).');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Someone else saved this problem').first().waitFor();
  await screenshot(page, 'problems-05b-conflict');
  await page.getByRole('alert').getByRole('button', { name: 'Reload' }).click();
  // The alert goes in the same render as the reloaded draft arrives (the reload is a refetch).
  await page.getByText('Someone else saved this problem').first().waitFor({ state: 'detached' });
  expect(await page.getByLabel('Hypothesis').inputValue()).toBe('Something about the flavour bought.');
  await page.getByLabel('Hypothesis').fill('Vanilla is quick to buy: the engine is still hot (vapour lock).');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await toast(page, 'Problem saved.');

  // On a phone the page stacks up.
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'problems-05c-phone');
  await page.setViewportSize({ width: 1400, height: 900 });

  // ---- Fix: summary, message with {{name}}, confirmation, then who got it ----
  const before = new Set((await outbox(page)).map((message) => message.id));
  await page.getByRole('button', { name: 'Mark fixed…' }).click();
  const fixDialog = page.getByRole('dialog', { name: 'Mark the problem fixed' });
  await fixDialog
    .getByLabel('What was fixed')
    .fill('Engines restart when hot: new vapour-lock valve fitted.');
  const preview = fixDialog.getByLabel('Message preview');
  await preview.getByText(/Hello Driver \d+,/).waitFor();
  await preview.getByText(/Engines restart when hot: new vapour-lock valve fitted\./).waitFor();
  await preview.getByText(/^Fixed: Car won't start after the ice-cream stop \(\d+\) \[#\d+\]$/).waitFor();
  await screenshot(page, 'problems-06-fix-dialog');
  await fixDialog.getByRole('button', { name: 'Review and send' }).click();
  await fixDialog.getByText('20 customers', { exact: true }).waitFor();
  await screenshot(page, 'problems-07-fix-confirm');
  await fixDialog.getByRole('button', { name: 'Fix and inform 20 customers' }).click();
  const informed = page.getByRole('dialog', { name: 'Customers informed' });
  await informed.getByText('20 customers were sent the message').waitFor();
  await screenshot(page, 'problems-08-fix-outcome');
  await informed.getByRole('button', { name: 'Done' }).click();

  const sent = (await outbox(page)).filter((message) => !before.has(message.id));
  const recipients = new Set(sent.map((message) => message.to.toLowerCase()));
  expect(sent).toHaveLength(20);
  for (let index = 1; index <= 20; index++) expect(recipients.has(`driver${index}@example.com`)).toBe(true);
  expect(sent.every((message) => message.text.includes('Hello Driver'))).toBe(true);
  expect(sent.every((message) => message.text.includes('new vapour-lock valve fitted'))).toBe(true);
  expect(sent.every((message) => message.subject.startsWith('Fixed: '))).toBe(true);
  await page.getByText('Fixed', { exact: true }).first().waitFor();

  // ---- Close the linked items: with a reason, since nobody was thanked yet ----
  await page.getByRole('button', { name: 'Close linked items…' }).click();
  const closeDialog = page.getByRole('dialog', { name: 'Close linked items' });
  await closeDialog.getByText('0 of the 20 open linked items are resolved').waitFor();
  await closeDialog.getByLabel('Reason for closing the others').fill('Informed of the fix by email');
  await closeDialog.getByRole('button', { name: 'Close 20 items' }).click();
  await toast(page, '20 items closed.');
  await page.getByText('20 linked items, 0 not closed yet').waitFor();
  await screenshot(page, 'problems-09-closed');
  const closed = await apiOk<{ data: { status: string; closeReason: string | null }[] }>(
    page,
    'GET',
    `/api/v1/items?problemId=${problemId}&limit=50`,
  );
  expect(closed.data).toHaveLength(20);
  expect(closed.data.every((item) => item.status === 'closed')).toBe(true);

  // ---- The problems list ----
  await nav(page).getByRole('link', { name: 'Problems' }).click();
  await heading(page, 'Problems');
  await page.locator('.mantine-SegmentedControl-label', { hasText: /^Fixed$/ }).click();
  await page.getByRole('link', { name: "Cars won't start after the ice-cream stop" }).waitFor();
  await screenshot(page, 'problems-10-list');

  // ---- Escalations: empty first, then grouped by level with reason ----
  await nav(page).getByRole('link', { name: 'Escalations' }).click();
  await heading(page, 'Escalations');
  await page.getByText('Nothing is escalated').waitFor();
  const [one, two] = planted.otherIds;
  await apiOk(page, 'POST', `/api/v1/items/${one}/escalate`, {
    level: 'manager',
    reason: 'Customer threatens to go to the press',
  });
  await apiOk(page, 'POST', `/api/v1/items/${two}/escalate`, {
    level: 'lead',
    reason: 'Third call this week',
  });
  await page.reload();
  await heading(page, 'Escalations');
  // An admin stands at manager level: "escalated to me" is the default view.
  expect(await page.getByRole('radio', { name: 'Escalated to me (Manager)' }).isChecked()).toBe(true);
  await page.getByText('Customer threatens to go to the press').waitFor();
  expect(await page.getByText('Third call this week').count()).toBe(0);
  await screenshot(page, 'problems-11-escalations-mine');
  await page.getByText('Everything escalated').click();
  await page.getByText('Third call this week').waitFor();
  await screenshot(page, 'problems-12-escalations-all');

  // ---- An executive: what is escalated to them by default; no fixing, no settings ----
  const invited = await apiOk<{ inviteUrl: string }>(page, 'POST', '/api/v1/users', {
    email: 'eve@example.com',
    name: 'Eve Exec',
    role: 'executive',
  });
  const executive = await harness.browser.newContext({
    baseURL: harness.url,
    viewport: { width: 1400, height: 900 },
  });
  try {
    const eve = await executive.newPage();
    eve.on('pageerror', (error) => pageErrors.push(error.message));
    await eve.goto(new URL(invited.inviteUrl).pathname);
    await eve.getByLabel('Choose a password').fill('executive secret 2024');
    await eve.getByLabel('Choose a password').press('Enter');
    await heading(eve, 'Welcome, Eve');
    expect(await nav(eve).getByRole('link', { name: 'Listening', exact: true }).count()).toBe(0);
    await nav(eve).getByRole('link', { name: 'Escalations' }).click();
    await heading(eve, 'Escalations');
    expect(await eve.getByRole('radio', { name: 'Escalated to me (Executive)' }).isChecked()).toBe(true);
    await eve.getByText('Nothing is escalated to this level.').waitFor();
    await apiOk(page, 'POST', `/api/v1/items/${one}/escalate`, {
      level: 'executive',
      reason: 'The press called us',
    });
    await eve.reload();
    await eve.getByText('The press called us').waitFor();
    await screenshot(eve, 'problems-13-escalations-executive');
    await eve.goto(`/problems/${problemId}`);
    await heading(eve, "Cars won't start after the ice-cream stop");
    await eve.getByText('flavour = vanilla: 100% of linked vs 22% of others').waitFor();
    expect(await eve.getByRole('button', { name: 'Mark fixed…' }).count()).toBe(0);
    expect(await eve.getByLabel('Title').isDisabled()).toBe(true);
  } finally {
    await executive.close();
  }

  expect(pageErrors).toEqual([]);
}
