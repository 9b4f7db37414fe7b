import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { latestMagicToken, portalBase, portalCustomer, portalSlugOf } from './helpers/portal.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let slug: string;

beforeAll(async () => {
  t = await createTestApp({ PORTAL_LINKS_PER_EMAIL: '3', PORTAL_LINKS_PER_IP: '8' });
  admin = await signedInUser(t, 'admin');
  slug = await portalSlugOf(t.database.db, admin.workspaceId);
});
afterAll(() => t.close());

const magicLinks = (email: string) =>
  t.database.db.selectFrom('portal_magic_links').selectAll().where('email', '=', email).execute();

describe('portal sign-in by email link', () => {
  it('answers 202 the same way for a known and an unknown email, and mails a link through the outbox', async () => {
    const known = t.client();
    known.ip = '10.0.0.1';
    await admin.client.post('/api/v1/people', { givenName: 'Kim', emails: [{ value: 'kim@example.com' }] });
    const a = await known.post(`${portalBase}/auth/magic-link`, {
      email: 'Kim@Example.com',
      workspace: slug,
    });
    const b = await known.post(`${portalBase}/auth/magic-link`, {
      email: 'nobody@example.com',
      workspace: slug,
    });
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(a.body.message.replace('kim@example.com', 'X')).toBe(
      b.body.message.replace('nobody@example.com', 'X'),
    );

    const outbox = await admin.client.get('/api/v1/outbox');
    expect(outbox.status).toBe(200);
    const mail = outbox.body.data.find((row: { to: string }) => row.to === 'kim@example.com');
    expect(mail?.subject).toMatch(/sign-in link/);

    const [link] = await magicLinks('kim@example.com');
    const token = await latestMagicToken(t.database.db, 'kim@example.com');
    expect(link!.token_hash).not.toContain(token);
    expect(link!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Date(link!.expires_at).getTime() - new Date(link!.created_at).getTime()).toBe(15 * 60_000);
  });

  it('signs in with the link once; a second use, a wrong token and an expired link are refused', async () => {
    const client = t.client();
    client.ip = '10.0.0.2';
    await client.post(`${portalBase}/auth/magic-link`, { email: 'once@example.com', workspace: slug });
    const token = await latestMagicToken(t.database.db, 'once@example.com');
    const first = await client.post(`${portalBase}/auth/redeem`, { token });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ email: 'once@example.com', personId: null, site: { slug } });
    expect(client.portalCookie).toMatch(/^rapport_portal=/);
    const again = await t.client().post(`${portalBase}/auth/redeem`, { token });
    expect(again.status).toBe(401);
    expect(again.body.detail).toMatch(/used already, has expired/);
    expect((await t.client().post(`${portalBase}/auth/redeem`, { token: 'x'.repeat(43) })).status).toBe(401);

    await client.post(`${portalBase}/auth/magic-link`, { email: 'late@example.com', workspace: slug });
    const late = await latestMagicToken(t.database.db, 'late@example.com');
    t.deps.clock = () => new Date(Date.now() + 16 * 60_000);
    try {
      expect((await t.client().post(`${portalBase}/auth/redeem`, { token: late })).status).toBe(401);
    } finally {
      t.deps.clock = undefined;
    }

    const session = await client.get(`${portalBase}/session`);
    expect(session.status).toBe(200);
    expect(session.body.email).toBe('once@example.com');
  });

  it('only one of two concurrent redeems of the same link gets a session', async () => {
    const client = t.client();
    client.ip = '10.0.0.3';
    await client.post(`${portalBase}/auth/magic-link`, { email: 'race@example.com', workspace: slug });
    const token = await latestMagicToken(t.database.db, 'race@example.com');
    const results = await Promise.all(
      [1, 2, 3].map(() => t.client().post(`${portalBase}/auth/redeem`, { token })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
  });

  it('validates input and names what to fix', async () => {
    const client = t.client();
    const bad = await client.post(`${portalBase}/auth/magic-link`, {
      email: 'not-an-email',
      workspace: slug,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ path: 'body.email' });
    const unknownPortal = await client.post(`${portalBase}/auth/magic-link`, {
      email: 'a@example.com',
      workspace: 'no-such-portal',
    });
    expect(unknownPortal.status).toBe(404);
    expect((await client.post(`${portalBase}/auth/redeem`, { token: 'short' })).status).toBe(400);
    expect((await client.post(`${portalBase}/auth/redeem`, {})).status).toBe(400);
  });

  it('a filled honeypot gets the same 202 and no mail', async () => {
    const client = t.client();
    client.ip = '10.0.0.4';
    const response = await client.post(`${portalBase}/auth/magic-link`, {
      email: 'bot@example.com',
      workspace: slug,
      website: 'http://spam.example',
    });
    expect(response.status).toBe(202);
    expect(await magicLinks('bot@example.com')).toHaveLength(0);
  });

  it('rate-limits links per email and per IP address with 429', async () => {
    const client = t.client();
    client.ip = '10.0.0.5';
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await client.post(`${portalBase}/auth/magic-link`, { email: 'often@example.com', workspace: slug }))
          .status,
      );
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    // The limit is per address: another email from the same IP still gets its link, up to the IP limit.
    const others: number[] = [];
    for (let i = 0; i < 6; i++) {
      others.push(
        (await client.post(`${portalBase}/auth/magic-link`, { email: `p${i}@example.com`, workspace: slug }))
          .status,
      );
    }
    expect(others.filter((s) => s === 202)).toHaveLength(4);
    expect(others.at(-1)).toBe(429);
    // Rate-limit keys do not hold the email address.
    const keys = await t.database.db.selectFrom('rate_limits').select('key').execute();
    expect(keys.some((row) => row.key.includes('often@example.com'))).toBe(false);
  });
});

describe('portal sessions are separate from staff credentials', () => {
  it('portal routes refuse staff sessions and API tokens; staff routes ignore the portal cookie', async () => {
    const token = await admin.client.post('/api/v1/tokens', { name: 'portal probe' });
    expect(token.status).toBe(201);
    const bearer = t.client();
    bearer.bearer = token.body.token;
    const withToken = await bearer.get(`${portalBase}/session`);
    expect(withToken.status).toBe(401);
    expect(withToken.body.detail).toMatch(/does not accept API tokens/);
    expect((await admin.client.get(`${portalBase}/session`)).status).toBe(401);

    const { client: customer } = await portalCustomer(t, admin.workspaceId, 'sep@example.com', '10.0.0.6');
    expect((await customer.get('/api/v1/people')).status).toBe(401);
    // Even a portal cookie value sent as a staff cookie is nothing.
    const forged = t.client();
    forged.cookie = customer.portalCookie!.replace('rapport_portal=', 'rapport_session=');
    expect((await forged.get('/api/v1/people')).status).toBe(401);
  });

  it('portal writes need the CSRF token, and signing out ends the session', async () => {
    const { client } = await portalCustomer(t, admin.workspaceId, 'csrf@example.com', '10.0.0.7');
    const csrf = client.csrfToken;
    client.csrfToken = undefined;
    expect((await client.post(`${portalBase}/auth/sign-out`)).status).toBe(403);
    client.csrfToken = csrf;
    expect((await client.post(`${portalBase}/auth/sign-out`)).status).toBe(204);
    expect((await client.get(`${portalBase}/session`)).status).toBe(401);
  });

  it('the site names the portal; without a slug and with several workspaces the caller must name it', async () => {
    await createWorkspace(t.database.db, 'Other Co');
    const site = await t.client().get(`${portalBase}/site?workspace=${slug}`);
    expect(site.status).toBe(200);
    expect(site.body).toMatchObject({
      slug,
      parts: { items: true, suggestions: true, articles: true, intents: true },
    });
    const unnamed = await t.client().get(`${portalBase}/site`);
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.detail).toMatch(/workspace=/);
  });

  it('a closed portal answers 404 and its links stop working', async () => {
    const ws = await createWorkspace(t.database.db, 'Closed Co');
    const closedSlug = await portalSlugOf(t.database.db, ws.id);
    const client = t.client();
    client.ip = '10.0.0.8';
    await client.post(`${portalBase}/auth/magic-link`, { email: 'c@example.com', workspace: closedSlug });
    const token = await latestMagicToken(t.database.db, 'c@example.com');
    await t.database.db
      .insertInto('portal_settings')
      .values({ workspace_id: ws.id, enabled: false })
      .execute();
    expect((await client.get(`${portalBase}/site?workspace=${closedSlug}`)).status).toBe(404);
    expect(
      (await client.post(`${portalBase}/auth/magic-link`, { email: 'c@example.com', workspace: closedSlug }))
        .status,
    ).toBe(404);
    expect((await client.post(`${portalBase}/auth/redeem`, { token })).status).toBe(401);
  });
});
