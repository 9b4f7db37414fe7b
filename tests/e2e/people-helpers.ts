import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';

export const shotsDir = '/tmp/shots';

export async function shot(page: Page, name: string, fullPage = false) {
  mkdirSync(shotsDir, { recursive: true });
  // Let transitions settle so the picture shows the finished state.
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${shotsDir}/${name}.png`, fullPage });
}

export async function heading(page: Page, name: string | RegExp) {
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

/** Calls the API from the page with the session cookie and its CSRF token. */
export async function apiCall<T>(
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

/** Sets up a fresh workspace through the UI; the admin is signed in afterwards. */
export async function setUpWorkspace(page: Page, name = 'Rita Admin') {
  await page.goto('/');
  await heading(page, 'Set up your workspace');
  await page.getByLabel('Workspace name').fill('Rolodex Ltd');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill('rita@example.com');
  await page.getByLabel(/^Password/).fill('correct horse battery');
  await page.getByLabel(/^Password/).press('Enter');
  await heading(page, `Welcome, ${name.split(' ')[0]}`);
}
