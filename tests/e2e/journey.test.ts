import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, screenshot, startHarness } from './harness.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.stop();
});

const admin = {
  workspace: 'Acme Ltd',
  name: 'Ada Admin',
  email: 'ada@example.com',
  password: 'correct horse battery',
};
const agent = { name: 'Bob Agent', email: 'bob@example.com', password: 'agent secret 2024' };

function nav(page: Page) {
  return page.getByRole('navigation', { name: 'Main' });
}

async function heading(page: Page, name: string | RegExp) {
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

async function signOut(page: Page, name: string) {
  await page.getByRole('button', { name: `Account menu for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await heading(page, 'Sign in');
}

async function apiStatus(page: Page, path: string): Promise<number> {
  return page.evaluate(async (url) => (await fetch(url)).status, path);
}

test('setup, invite an agent, permissions, tokens and sign-in', async () => {
  const context = await harness.browser.newContext({
    baseURL: harness.url,
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();

  // First visit: the workspace needs setting up.
  await page.goto('/');
  await heading(page, 'Set up your workspace');
  await page.getByText('At least 10 characters').waitFor();
  await screenshot(page, '01-setup');

  // The form validates with the shared schema before sending.
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.getByText('Workspace name is required.').waitFor();

  await page.getByLabel('Workspace name').fill(admin.workspace);
  await page.getByLabel('Your name').fill(admin.name);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel(/^Password/).fill(admin.password);
  await page.getByLabel(/^Password/).press('Enter');

  await heading(page, 'Welcome, Ada');
  await page.getByText(admin.workspace).first().waitFor();
  await screenshot(page, '02-home');

  // Invite an agent.
  await nav(page).getByRole('link', { name: 'Users' }).click();
  await heading(page, 'Users');
  await page.getByRole('cell', { name: admin.email, exact: true }).waitFor();
  await page.getByRole('button', { name: 'Invite user' }).click();
  const modal = page.getByRole('dialog', { name: 'Invite a user' });
  await modal.getByLabel('Email').fill(agent.email);
  await modal.getByLabel('Name').fill(agent.name);
  await modal.getByLabel(/^Role/).first().click();
  await page.getByRole('option', { name: 'Agent' }).click();
  expect(await modal.getByLabel(/^Role/).first().inputValue()).toBe('Agent');
  await modal.getByRole('button', { name: 'Send invitation' }).click();
  const linkInput = modal.getByRole('textbox', { name: 'Invite link' });
  await linkInput.waitFor();
  const inviteUrl = await linkInput.inputValue();
  expect(inviteUrl).toMatch(/\/invite\/[A-Za-z0-9_-]{20,}$/);
  await modal.getByText('was queued').waitFor();
  await screenshot(page, '03-invite-link');
  await modal.getByRole('button', { name: 'Done' }).click();
  await modal.waitFor({ state: 'hidden' });
  await page.getByRole('cell', { name: agent.email, exact: true }).waitFor();
  await screenshot(page, '04-users');

  // The invitation email is in the outbox.
  await nav(page).getByRole('link', { name: 'Outbox' }).click();
  await heading(page, 'Outbox');
  await page.getByRole('cell', { name: agent.email, exact: true }).waitFor();
  await page.getByText(/invited you to Acme Ltd/).waitFor();
  await screenshot(page, '05-outbox');

  // Create an API token: the secret is shown once.
  await nav(page).getByRole('link', { name: 'API tokens' }).click();
  await heading(page, 'API tokens');
  await page.getByText('No API tokens yet — create one to use the API.').waitFor();
  await page.getByLabel('Token name').fill('Import script');
  await page.getByLabel('Token name').press('Enter');
  const secretDialog = page.getByRole('dialog', { name: 'Your new API token' });
  const secret = await secretDialog.getByRole('textbox', { name: 'Secret of "Import script"' }).inputValue();
  expect(secret.length).toBeGreaterThan(20);
  await secretDialog.getByText('This is the only time the secret is shown.').waitFor();
  await screenshot(page, '06-token-secret');
  await secretDialog.getByRole('button', { name: 'I have copied it' }).click();
  await secretDialog.waitFor({ state: 'hidden' });
  await page.getByRole('cell', { name: 'Import script', exact: true }).waitFor();
  expect(await page.content()).not.toContain(secret);

  // Audit log lists what happened.
  await nav(page).getByRole('link', { name: 'Audit log' }).click();
  await heading(page, 'Audit log');
  await page.getByText('user.invited').first().waitFor();
  await page.getByRole('button', { name: 'Show changes' }).first().click();
  await page.getByText('After', { exact: true }).first().waitFor();
  await screenshot(page, '07-audit');

  // Dark mode and the phone layout.
  await nav(page).getByRole('link', { name: 'Home' }).click();
  await page.getByRole('button', { name: 'Switch to dark mode' }).click();
  await page.getByRole('button', { name: 'Switch to light mode' }).waitFor();
  await screenshot(page, '08-home-dark');
  await page.setViewportSize({ width: 375, height: 800 });
  await screenshot(page, '09-mobile-dark');
  await page.getByRole('button', { name: 'Open navigation' }).click();
  await nav(page).getByRole('link', { name: 'Users' }).waitFor();
  await screenshot(page, '10-mobile-nav');
  await nav(page).getByRole('link', { name: 'Users' }).click();
  await heading(page, 'Users');
  await screenshot(page, '11-mobile-users');
  await page.getByRole('button', { name: 'Switch to light mode' }).click();
  await page.setViewportSize({ width: 1280, height: 800 });

  await signOut(page, admin.name);

  // The agent accepts the invite.
  await page.goto(new URL(inviteUrl).pathname);
  await heading(page, 'Join Acme Ltd');
  await page.getByText(agent.email).first().waitFor();
  await screenshot(page, '12-invite-accept');
  await page.getByLabel('Choose a password').fill(agent.password);
  await page.getByLabel('Choose a password').press('Enter');
  await heading(page, 'Welcome, Bob');

  // Agents see neither Users nor Audit log, and cannot open them.
  await nav(page).getByRole('link', { name: 'API tokens' }).waitFor();
  expect(await nav(page).getByRole('link', { name: 'Users' }).count()).toBe(0);
  expect(await nav(page).getByRole('link', { name: 'Audit log' }).count()).toBe(0);
  await page.goto('/settings/users');
  await heading(page, "You don't have access");
  expect(await apiStatus(page, '/api/v1/users')).toBe(403);
  expect(await apiStatus(page, '/api/v1/audit')).toBe(403);
  await screenshot(page, '13-no-access');

  await signOut(page, agent.name);

  // Signing in: a wrong password shows the server's message, the right one works.
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel(/^Password/).fill('not the password');
  await page.getByLabel(/^Password/).press('Enter');
  await page.getByRole('alert').filter({ hasText: 'The email or password is wrong.' }).waitFor();
  await screenshot(page, '14-login-error');
  await page.getByLabel(/^Password/).fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await heading(page, 'Welcome, Ada');

  await context.close();
});
