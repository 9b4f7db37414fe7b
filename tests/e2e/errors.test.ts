import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, screenshot, startHarness } from './harness.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.stop();
});

test('unknown pages show a 404; failed requests show the server message and a retry', async () => {
  const context = await harness.browser.newContext({ baseURL: harness.url, reducedMotion: 'reduce' });
  const page = await context.newPage();

  // Signed out: the 404 page stands alone.
  await page.goto('/no/such/page');
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  await screenshot(page, '20-not-found');

  // Set the workspace up through the API (same cookies as the page).
  await page.goto('/setup');
  const status = await page.evaluate(async () => {
    const response = await fetch('/api/v1/setup', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        workspaceName: 'Errors Ltd',
        name: 'Eve Admin',
        email: 'eve@example.com',
        password: 'correct horse battery',
      }),
    });
    return response.status;
  });
  expect(status).toBe(201);

  // Signed in: the 404 page is inside the app shell.
  await page.goto('/settings/nothing-here');
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();

  // A record that is not there (or an id that cannot be one) says so and leads back to its list.
  for (const [path, title, back] of [
    ['/people/not-a-uuid', 'Person not found', 'Back to people'],
    ['/people/01900000-0000-7000-8000-000000000000', 'Person not found', 'Back to people'],
    ['/items/01900000-0000-7000-8000-000000000000', 'Item not found', 'Back to items'],
    ['/items/not-a-uuid', 'Item not found', 'Back to items'],
    ['/problems/01900000-0000-7000-8000-000000000000', 'Problem not found', 'Back to problems'],
  ] as const) {
    await page.goto(path);
    await page.getByRole('heading', { name: title }).waitFor();
    await page.getByRole('link', { name: back }).waitFor();
  }

  // A failing request shows the problem detail, and "Try again" recovers.
  // Fails until told otherwise (the app retries server errors twice before showing them).
  let failing = true;
  await page.route('**/api/v1/tokens', async (route) => {
    if (failing && route.request().method() === 'GET') {
      await route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ code: 'unavailable', detail: 'The database is busy; try again in a moment.' }),
      });
    } else {
      await route.continue();
    }
  });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click();
  await page.getByText('The database is busy; try again in a moment.').waitFor({ timeout: 15_000 });
  await screenshot(page, '21-request-error');
  failing = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.getByText('No API tokens yet — create one to use the API.').waitFor();

  // Client-side validation with the shared schema: an empty token name is refused before sending.
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByText('Token name is required.').waitFor();

  await context.close();
});
