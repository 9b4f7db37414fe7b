import type { Page } from 'playwright-core';
import { createUser, testPassword } from '../support/factories.ts';
import { screenshot } from './harness.ts';
import { apiCall } from './people-helpers.ts';

export async function toast(page: Page, text: string | RegExp) {
  await page.locator('.mantine-Notification-root').filter({ hasText: text }).first().waitFor();
}

/** Screenshots at desktop width and at a phone's width (then back). */
export async function shots(page: Page, name: string) {
  const size = page.viewportSize() ?? { width: 1400, height: 900 };
  await screenshot(page, `items-${name}`);
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, `items-${name}-narrow`);
  await page.setViewportSize(size);
}

/** A second staff user in the signed-in user's workspace, signed in on its own page. */
export async function secondUser(page: Page, db: Parameters<typeof createUser>[0], name: string) {
  const me = await apiCall<{ workspace: { id: string } }>(page, 'GET', '/api/v1/me');
  const user = await createUser(db, me.body.workspace.id, { role: 'agent', name });
  const context = await page
    .context()
    .browser()!
    .newContext({
      baseURL: new URL(page.url()).origin,
      viewport: { width: 1400, height: 900 },
    });
  const other = await context.newPage();
  await other.goto('/login');
  await other.getByLabel('Email').fill(user.email);
  const password = other.getByRole('textbox', { name: 'Password' });
  await password.fill(testPassword);
  await password.press('Enter');
  await other.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
  return { user, page: other, close: () => context.close() };
}
