import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, screenshot, startHarness } from './harness.ts';
import { secondUser, shots, toast } from './items-helpers.ts';
import { apiCall, heading, setUpWorkspace } from './people-helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.stop();
});

test('an item is logged with the shortcut, taken, answered, resolved, informed, thanked and closed; an assignee sees it in the bell', async () => {
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
    await screenshot(page, 'items-failure');
    throw error;
  } finally {
    await context.close();
  }
});

async function itemOf(page: Page) {
  const id = page.url().split('/').pop() ?? '';
  return (await apiCall<Record<string, unknown>>(page, 'GET', `/api/v1/items/${id}`)).body;
}

async function journey(page: Page, pageErrors: string[]) {
  await setUpWorkspace(page);
  const bob = await secondUser(page, harness.deps.db, 'Bob Builder');

  // The items page starts empty and says how to log one.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Items' }).click();
  await heading(page, 'Items');
  await page.getByText('Nothing in "Open"').waitFor();
  await shots(page, '01-empty');

  // Log an item with the keyboard shortcut, in seconds: kind, subject, reporter, Enter.
  await page.keyboard.press('i');
  const quick = page.getByRole('dialog', { name: 'Log an item' });
  await quick.getByLabel('Subject').waitFor();
  expect(await quick.getByRole('radio', { name: 'Complaint' }).isChecked()).toBe(true);
  await quick.getByLabel('Subject').press('Enter');
  await quick.getByText('Subject is required.').waitFor();
  await quick.getByLabel('Subject').fill('Car will not start after buying vanilla ice cream');
  await quick
    .getByLabel('Details')
    .fill('Every time I buy vanilla, the car does not start. Other flavours are fine.');
  await quick.getByLabel('Or reporter name').fill('Vera Vanilla');
  await quick.getByLabel('Reporter email').fill('vera@example.com');
  await shots(page, '02-quick-form');
  await quick.getByLabel('Subject').press('Enter');
  await toast(page, /Complaint #\d+ logged/);
  await page.getByRole('button', { name: /Open #\d+/ }).click();
  await page
    .getByRole('heading', { level: 1, name: 'Car will not start after buying vanilla ice cream' })
    .waitFor();
  await page.getByText('nobody yet').waitFor();

  // Take it.
  await page.getByRole('toolbar', { name: 'Item actions' }).getByRole('button', { name: 'Take' }).click();
  await toast(page, 'You own this item now.');
  await page.getByText('Owner: you').waitFor();

  // Reply to the customer, then an internal note mentioning Bob (autocompleted).
  await page.getByRole('toolbar', { name: 'Item actions' }).getByRole('button', { name: 'Reply' }).click();
  await page
    .getByRole('textbox', { name: 'Your reply to the customer' })
    .fill('We are looking into it. Which petrol station was it?');
  await page.getByRole('button', { name: /Send reply/ }).click();
  await toast(page, 'Reply queued: its delivery shows on the conversation.');
  await page.locator('[aria-label^="To the customer"]').first().waitFor();
  await page.getByText('We are looking into it. Which petrol station was it?').waitFor();
  await page
    .getByRole('toolbar', { name: 'Item actions' })
    .getByRole('button', { name: 'Internal note' })
    .click();
  const note = page.getByRole('textbox', { name: 'Your internal note' });
  await note.pressSequentially('Ask @Bo');
  await page.getByRole('option', { name: /Bob Builder/ }).click();
  await note.pressSequentially('about the fuel pump');
  expect(await note.inputValue()).toBe('Ask @BobBuilder about the fuel pump');
  await page.getByRole('button', { name: /Add note/ }).click();
  await toast(page, 'Note added.');
  await page.locator('[aria-label^="Internal note from"]').first().waitFor();

  // Observations: the conditions of the occurrence.
  const observation = page.getByRole('form', { name: 'Add an observation' });
  await observation.getByLabel('Key').fill('flavour');
  await observation.getByLabel('Value').fill('vanilla');
  await observation.getByRole('button', { name: 'Add' }).click();
  await toast(page, 'Observation recorded.');
  await page.getByRole('cell', { name: 'flavour' }).waitFor();
  await shots(page, '03-item-working');

  // Resolve.
  await page.getByRole('button', { name: 'Resolve…' }).click();
  const resolve = page.getByRole('dialog', { name: /Resolve #/ });
  await resolve
    .getByLabel('Resolution')
    .fill('Vanilla is sold at the front: the engine had no time to cool. Fixed the vapour lock.');
  await resolve.getByRole('button', { name: 'Resolve' }).click();
  await toast(page, /Resolved/);
  await page.getByText('Resolved', { exact: true }).first().waitFor();

  // Closing before informing and thanking is refused, saying exactly what is missing.
  await page.getByRole('button', { name: 'Close…' }).click();
  const close = page.getByRole('dialog', { name: /Close #/ });
  await close
    .getByText(/has not been informed of the outcome and the customer has not been thanked/)
    .waitFor();
  await close.getByRole('button', { name: 'Close with this reason' }).click();
  await close
    .getByRole('alert')
    .filter({ hasText: /inform|thank/i })
    .waitFor();
  await shots(page, '04-close-refused');
  await close.getByRole('button', { name: 'Cancel' }).click();
  expect((await itemOf(page)).status).toBe('resolved');

  // Inform (recorded phone call) and thank (prefilled, personalised, by email).
  await page.getByRole('button', { name: 'Inform…' }).click();
  const inform = page.getByRole('dialog', { name: /Inform the customer/ });
  await inform.getByRole('combobox', { name: 'How' }).click();
  await page.getByRole('option', { name: 'Phone call' }).click();
  await inform
    .getByLabel('What the customer was told')
    .fill('Called Vera: explained the vapour lock and the fix.');
  await inform.getByRole('button', { name: 'Record' }).click();
  await toast(page, 'Feedback recorded.');
  await page.getByRole('button', { name: 'Thank…' }).click();
  const thank = page.getByRole('dialog', { name: /Thank the customer/ });
  const thankYou = thank.getByLabel('Thank-you');
  await expect.poll(() => thankYou.inputValue()).toMatch(/Vera Vanilla/);
  await thankYou.fill(`${await thankYou.inputValue()}\n\nP.S. Enjoy the vanilla!`);
  await shots(page, '05-thank-you');
  await thank.getByRole('button', { name: 'Send thank-you' }).click();
  await toast(page, 'Thank-you recorded.');

  // Now it closes without a reason.
  await page.getByRole('button', { name: 'Close…' }).click();
  const closeNow = page.getByRole('dialog', { name: /Close #/ });
  await closeNow.getByText('The customer was informed and thanked').waitFor();
  await closeNow.getByRole('button', { name: 'Close', exact: true }).click();
  await toast(page, /Closed/);
  const closed = await itemOf(page);
  expect(closed).toMatchObject({ status: 'closed', closeReason: null });
  expect(closed.informedAt).not.toBeNull();
  expect(closed.thankedAt).not.toBeNull();

  // The history drawer shows every step.
  await page.getByRole('button', { name: 'More' }).click();
  await page.getByRole('menuitem', { name: 'History' }).click();
  const history = page.getByRole('dialog', { name: 'History' });
  for (const step of ['Taken', 'Resolved', 'Customer informed', 'Customer thanked', 'Closed']) {
    await history.getByText(step, { exact: true }).first().waitFor();
  }
  await shots(page, '06-history');
  await page.keyboard.press('Escape');

  // Bob was mentioned: his bell shows it. Then assign a second item to him.
  const bobUnread = async () =>
    (await apiCall<{ unread: number }>(bob.page, 'GET', '/api/v1/notifications/unread-count')).body.unread;
  expect(await bobUnread()).toBe(1);
  await bob.page.bringToFront();
  await bob.page.reload();
  const bobBell = bob.page.getByRole('button', { name: /Notifications: 1 unread/ });
  try {
    await bobBell.waitFor({ timeout: 20_000 });
  } catch (error) {
    await screenshot(bob.page, 'items-failure-bob');
    const names = await bob.page
      .locator('header button')
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));
    throw new Error(`${String(error)}\nheader buttons: ${JSON.stringify(names)} url ${bob.page.url()}`);
  }

  await page.bringToFront();
  await page.keyboard.press('i');
  await quick.getByText('Suggestion', { exact: true }).click();
  await quick.getByLabel('Subject').fill('Sell vanilla at the back of the shop');
  // Enter again while the dialog fades out after the first (an impatient user) logs no second item.
  await quick.getByLabel('Subject').press('Enter');
  await toast(page, /Suggestion #\d+ logged/);
  await page.keyboard.press('Enter');
  await quick.waitFor({ state: 'hidden' });
  const logged = await apiCall<{ data: { subject: string }[] }>(
    page,
    'GET',
    '/api/v1/items?kind=suggestion&limit=50',
  );
  expect(
    logged.body.data.filter((item) => item.subject === 'Sell vanilla at the back of the shop'),
  ).toHaveLength(1);
  await page.getByRole('button', { name: /Open #\d+/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Sell vanilla at the back of the shop' }).waitFor();
  await page.getByRole('button', { name: 'Assign…' }).click();
  const assign = page.getByRole('dialog', { name: /Assign #/ });
  await assign.getByRole('combobox', { name: 'Owner' }).click();
  await page.getByRole('option', { name: /Bob Builder/ }).click();
  await assign.getByRole('button', { name: 'Assign' }).click();
  await toast(page, 'Assigned.');

  // Bob's bell counts it (on window focus or within 30 s); he opens it and lands on the item.
  await bob.page.bringToFront();
  await bob.page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await bob.page.getByRole('button', { name: /Notifications: 2 unread/ }).waitFor({ timeout: 35_000 });
  await bob.page.getByRole('button', { name: /Notifications: 2 unread/ }).click();
  const centre = bob.page.getByRole('list', { name: 'Notifications' });
  await centre.getByText('Assigned to you', { exact: true }).waitFor();
  await shots(bob.page, '07-bell');
  await centre.getByText(/Sell vanilla at the back of the shop/).click();
  await bob.page.getByRole('heading', { level: 1, name: 'Sell vanilla at the back of the shop' }).waitFor();
  await bob.page.getByText('Owner: you').waitFor();
  await bob.page.getByRole('button', { name: /Notifications: 1 unread/ }).waitFor();

  // The queues: Bob's "Mine" has the suggestion; "Recently closed" has the complaint.
  // Headless Chromium does not paint a page in the background (the virtual list measures on paint).
  await bob.page.bringToFront();
  await bob.page.goto('/items?queue=mine');
  await bob.page.getByRole('link', { name: 'Sell vanilla at the back of the shop' }).waitFor();
  await page.bringToFront();
  await page.goto('/items?queue=recently_closed');
  await page.getByRole('link', { name: 'Car will not start after buying vanilla ice cream' }).waitFor();
  await shots(page, '08-list');

  // Filter by customer from the filters popover (the picker searches people).
  await page.getByRole('tab', { name: 'All items' }).click();
  await page.getByRole('button', { name: 'Filters' }).click();
  const customer = page.getByPlaceholder('Type a name, email or phone');
  await customer.fill('Vera');
  await page.getByRole('option', { name: /Vera Vanilla/ }).click();
  await page.waitForURL(/personId=/);
  await page.getByRole('link', { name: 'Car will not start after buying vanilla ice cream' }).waitFor();
  await expect
    .poll(() => page.getByRole('link', { name: 'Sell vanilla at the back of the shop' }).count())
    .toBe(0);
  await shots(page, '09-filters');
  await page.keyboard.press('Escape');
  await page.getByRole('tab', { name: 'Recently closed' }).click();

  // A saved view of items keeps the queue and filters.
  await page.getByRole('button', { name: 'Views' }).click();
  await page.getByRole('menuitem', { name: 'Save current view…' }).click();
  const save = page.getByRole('dialog', { name: 'Save this view' });
  await save.getByLabel('Name').fill('Closed lately');
  await save.getByRole('button', { name: 'Save view' }).click();
  await toast(page, 'View "Closed lately" saved.');
  await page.getByRole('tab', { name: 'Open' }).click();
  await page.waitForURL(/queue=open/);
  await page.getByRole('button', { name: 'Views' }).click();
  await page.getByRole('menuitem', { name: /Closed lately/ }).click();
  await page.waitForURL(/queue=recently_closed/);
  await page.getByRole('link', { name: 'Car will not start after buying vanilla ice cream' }).waitFor();

  // From the person page: "Log item" comes prefilled with the customer; the Items tab lists theirs.
  await page.goto(`/people/${closed.personId}`);
  await heading(page, 'Vera Vanilla');
  await page.getByRole('main').getByRole('button', { name: 'Log item' }).click();
  await quick.getByText('Vera Vanilla').waitFor();
  await quick.getByText('Praise', { exact: true }).click();
  await quick.getByLabel('Subject').fill('Thanks for fixing my car so quickly');
  await quick.getByLabel('Subject').press('Enter');
  await toast(page, /Praise #\d+ logged/);
  await page.getByRole('tab', { name: 'Items' }).click();
  await page.getByRole('link', { name: 'Thanks for fixing my car so quickly' }).waitFor();
  await page.getByRole('link', { name: 'Car will not start after buying vanilla ice cream' }).waitFor();
  await shots(page, '10-person-items');

  await bob.close();
  expect(pageErrors).toEqual([]);
}
