import { expect } from 'vitest';
import type { Db } from '../../../src/platform/db/database.ts';
import type { Client, TestApp } from '../../support/test-app.ts';

export const portalBase = '/portal/api/v1';

/** The portal slug of a workspace (the trigger derives it from the name). */
export async function portalSlugOf(db: Db, workspaceId: string): Promise<string> {
  const row = await db
    .selectFrom('workspaces')
    .select('portal_slug')
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return row.portal_slug;
}

/** The token of the newest sign-in link mailed to `email`, read from the outbox like a customer would. */
export async function latestMagicToken(db: Db, email: string): Promise<string> {
  const mail = await db
    .selectFrom('outbox')
    .select('text_body')
    .where('to_address', '=', email)
    .where('entity', '=', 'portal_magic_link')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const token = /#token=([A-Za-z0-9_-]+)/.exec(mail.text_body)?.[1];
  if (!token) throw new Error(`no sign-in link in: ${mail.text_body}`);
  return token;
}

/**
 * A customer signed in to a workspace's portal the real way: ask for a link, read it from the
 * outbox, redeem it. The client keeps the portal cookie and sends its CSRF token on writes.
 */
export async function portalCustomer(t: TestApp, workspaceId: string, email: string, ip?: string) {
  const client = t.client();
  if (ip) client.ip = ip;
  const workspace = await portalSlugOf(t.database.db, workspaceId);
  const asked = await client.post(`${portalBase}/auth/magic-link`, { email, workspace });
  expect(asked.status, JSON.stringify(asked.body)).toBe(202);
  const token = await latestMagicToken(t.database.db, email);
  const redeemed = await client.post(`${portalBase}/auth/redeem`, { token });
  expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200);
  return { client, slug: workspace, session: redeemed.body as { personId: string | null; email: string } };
}

/** A customer client whose record exists: the person is created first, then they sign in. */
export async function portalCustomerWithRecord(
  t: TestApp,
  staff: Client,
  workspaceId: string,
  name: string,
  email: string,
) {
  const [givenName, familyName] = name.split(' ');
  const created = await staff.post('/api/v1/people', {
    givenName,
    ...(familyName ? { familyName } : {}),
    emails: [{ value: email, primary: true }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const customer = await portalCustomer(t, workspaceId, email);
  expect(customer.session.personId).toBe(created.body.id);
  return { ...customer, personId: created.body.id as string };
}
