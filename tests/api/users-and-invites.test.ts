import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainJobs } from '../../src/platform/jobs/worker.ts';
import { closeMailTransports } from '../../src/platform/mail/outbox.ts';
import { createUser, createWorkspace, signedInUser, signIn, testPassword } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';
import { startSmtpReceiver } from './helpers/smtp-receiver.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  t = await createTestApp({ SMTP_URL: smtp.url });
  admin = await signedInUser(t, 'admin');
});
afterAll(async () => {
  closeMailTransports();
  await t.close();
  await smtp.close();
});

const tokenOf = (inviteUrl: string) => inviteUrl.split('/invite/')[1]!;
let emailCounter = 0;
const freshEmail = () => `invitee${++emailCounter}-${Date.now()}@example.com`;

async function invite(client: Client, overrides: { email?: string; name?: string; role?: string } = {}) {
  return client.post('/api/v1/users', {
    email: freshEmail(),
    name: 'Invited Person',
    role: 'agent',
    ...overrides,
  });
}

async function createApiToken(client: Client): Promise<string> {
  const response = await client.post('/api/v1/tokens', { name: 'script' });
  expect(response.status).toBe(201);
  return response.body.token;
}

describe('inviting a user', () => {
  it('creates an invited user, records the email in the outbox and delivers it over SMTP', async () => {
    const email = freshEmail();
    const response = await invite(admin.client, { email: ` ${email.toUpperCase()} `, name: 'Bea Invited' });
    expect(response.status).toBe(201);
    expect(response.body.user).toMatchObject({
      email,
      name: 'Bea Invited',
      role: 'agent',
      status: 'invited',
    });
    expect(response.body.inviteUrl).toMatch(/\/invite\/[A-Za-z0-9_-]{20,}$/);

    const outbox = await t.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('entity_id', '=', response.body.user.id)
      .execute();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ to_address: email, status: 'queued' });

    await drainJobs(t.deps);
    const mail = smtp.received.find((message) => message.to.includes(email));
    expect(mail, 'the SMTP receiver got the invite').toBeDefined();
    expect(mail!.raw).toContain(response.body.inviteUrl);
    const sent = await t.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', outbox[0]!.id)
      .executeTakeFirst();
    expect(sent).toMatchObject({ status: 'sent', error: null });
    expect(sent!.sent_at).toBeInstanceOf(Date);
  });

  it('describes the invite, refuses a weak password, signs the user in once, then answers 410', async () => {
    const email = freshEmail();
    const created = await invite(admin.client, { email, name: 'Cleo' });
    const token = tokenOf(created.body.inviteUrl);

    const info = await t.client().get(`/api/v1/invites/${token}`);
    expect(info.status).toBe(200);
    expect(info.body).toEqual({ email, name: 'Cleo', workspaceName: 'Acme' });

    const weak = await t.client().post(`/api/v1/invites/${token}/accept`, { password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.errors).toEqual([expect.objectContaining({ path: 'body.password' })]);

    const client = t.client();
    const accepted = await client.post(`/api/v1/invites/${token}/accept`, {
      name: 'Cleo Accepted',
      password: 'a long enough password',
    });
    expect(accepted.status).toBe(200);
    const me = await client.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email, name: 'Cleo Accepted', status: 'active', role: 'agent' });
    await signIn(t.client(), email, 'a long enough password');

    const again = await t
      .client()
      .post(`/api/v1/invites/${token}/accept`, { password: 'another long password' });
    expect(again.status).toBe(410);
    expect((await t.client().get(`/api/v1/invites/${token}`)).status).toBe(410);
  });

  it('answers 410 for an expired invite and 404 for an unknown one', async () => {
    const created = await invite(admin.client);
    const token = tokenOf(created.body.inviteUrl);
    await t.database.db
      .updateTable('invites')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('user_id', '=', created.body.user.id)
      .execute();
    const described = await t.client().get(`/api/v1/invites/${token}`);
    expect(described.status).toBe(410);
    expect(described.body.detail).toContain('expired');
    expect(
      (await t.client().post(`/api/v1/invites/${token}/accept`, { password: 'a long enough password' }))
        .status,
    ).toBe(410);

    const unknown = 'x'.repeat(43);
    expect((await t.client().get(`/api/v1/invites/${unknown}`)).status).toBe(404);
    expect(
      (await t.client().post(`/api/v1/invites/${unknown}/accept`, { password: 'a long enough password' }))
        .status,
    ).toBe(404);
  });

  it('refuses a second user with the same email, whatever its case', async () => {
    const email = freshEmail();
    expect((await invite(admin.client, { email })).status).toBe(201);
    const duplicate = await invite(admin.client, { email: email.toUpperCase() });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('conflict');
    const rows = await t.database.db.selectFrom('users').select('id').where('email', '=', email).execute();
    expect(rows).toHaveLength(1);
  });

  it('creates one user when the same email is invited twice at once', async () => {
    const email = freshEmail();
    const results = await Promise.all([invite(admin.client, { email }), invite(admin.client, { email })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const rows = await t.database.db.selectFrom('users').select('id').where('email', '=', email).execute();
    expect(rows).toHaveLength(1);
  });

  it('accepts an invite once when it is accepted twice at once', async () => {
    const token = tokenOf((await invite(admin.client)).body.inviteUrl);
    const accept = () =>
      t.client().post(`/api/v1/invites/${token}/accept`, { password: 'a long enough password' });
    const results = await Promise.all([accept(), accept()]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
  });

  it('resends an invite: the new link works, the old one no longer does', async () => {
    const created = await invite(admin.client);
    const oldToken = tokenOf(created.body.inviteUrl);
    const resent = await admin.client.post(`/api/v1/users/${created.body.user.id}/invite`);
    expect(resent.status).toBe(200);
    const newToken = tokenOf(resent.body.inviteUrl);
    expect(newToken).not.toBe(oldToken);
    expect((await t.client().get(`/api/v1/invites/${oldToken}`)).status).toBe(404);
    expect((await t.client().get(`/api/v1/invites/${newToken}`)).status).toBe(200);
    const mails = await t.database.db
      .selectFrom('outbox')
      .select('id')
      .where('entity_id', '=', created.body.user.id)
      .execute();
    expect(mails).toHaveLength(2);

    const active = await createUser(t.database.db, admin.workspaceId);
    expect((await admin.client.post(`/api/v1/users/${active.id}/invite`)).status).toBe(409);
  });
});

describe('who may manage users', () => {
  it('lets only admins invite; managers and executives may list', async () => {
    for (const role of ['agent', 'manager', 'executive'] as const) {
      const { client } = await signedInUser(t, role, admin.workspaceId);
      const response = await invite(client);
      expect(response.status, role).toBe(403);
      expect(response.body.code).toBe('forbidden');
    }
    const executive = await signedInUser(t, 'executive', admin.workspaceId);
    const list = await executive.client.get('/api/v1/users');
    expect(list.status).toBe(200);
    expect(list.body.data.map((u: { id: string }) => u.id)).toContain(admin.user.id);
    const agent = await signedInUser(t, 'agent', admin.workspaceId);
    expect((await agent.client.get('/api/v1/users')).status).toBe(403);
  });
});

describe('changing and disabling users', () => {
  it('changes name and role', async () => {
    const user = await createUser(t.database.db, admin.workspaceId, { role: 'agent' });
    const response = await admin.client.patch(`/api/v1/users/${user.id}`, {
      role: 'manager',
      name: 'Renamed',
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: user.id, role: 'manager', name: 'Renamed', status: 'active' });
    expect((await admin.client.get(`/api/v1/users/${user.id}`)).body.role).toBe('manager');
  });

  it('disabling ends the sessions and revokes the API tokens of the user; re-enabling lets them sign in again', async () => {
    const target = await signedInUser(t, 'manager', admin.workspaceId);
    const bearer = t.client();
    bearer.bearer = await createApiToken(target.client);
    expect((await bearer.get('/api/v1/me')).status).toBe(200);

    const disabled = await admin.client.patch(`/api/v1/users/${target.user.id}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body.status).toBe('disabled');
    expect((await target.client.get('/api/v1/me')).status).toBe(401);
    expect((await bearer.get('/api/v1/me')).status).toBe(401);
    const sessions = await t.database.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', target.user.id)
      .execute();
    expect(sessions).toHaveLength(0);
    expect(
      (await t.client().post('/api/v1/auth/login', { email: target.user.email, password: testPassword }))
        .status,
    ).toBe(401);

    const enabled = await admin.client.patch(`/api/v1/users/${target.user.id}`, { disabled: false });
    expect(enabled.body.status).toBe('active');
    await signIn(t.client(), target.user.email);
    expect((await bearer.get('/api/v1/me')).status).toBe(401);
  });

  it('re-enabling a user who never accepted their invite leaves them invited', async () => {
    const created = await invite(admin.client);
    const id = created.body.user.id;
    expect((await admin.client.patch(`/api/v1/users/${id}`, { disabled: true })).body.status).toBe(
      'disabled',
    );
    expect((await t.client().get(`/api/v1/invites/${tokenOf(created.body.inviteUrl)}`)).status).toBe(404);
    const resend = await admin.client.post(`/api/v1/users/${id}/invite`);
    expect(resend.status).toBe(409);
    expect(resend.body.detail).toContain('disabled');
    expect((await admin.client.patch(`/api/v1/users/${id}`, { disabled: false })).body.status).toBe(
      'invited',
    );
  });

  it('refuses to disable or demote yourself', async () => {
    const self = await admin.client.patch(`/api/v1/users/${admin.user.id}`, { disabled: true });
    expect(self.status).toBe(409);
    const demote = await admin.client.patch(`/api/v1/users/${admin.user.id}`, { role: 'agent' });
    expect(demote.status).toBe(409);
    expect((await admin.client.get('/api/v1/me')).body.user).toMatchObject({
      role: 'admin',
      status: 'active',
    });
  });

  it('keeps one admin when the last two disable each other at the same time', async () => {
    // A race: run it a few times so that an unserialised check is caught on PostgreSQL.
    for (let round = 0; round < 3; round += 1) {
      const workspace = await createWorkspace(t.database.db, `Duo ${round}`);
      const first = await signedInUser(t, 'admin', workspace.id);
      const second = await signedInUser(t, 'admin', workspace.id);
      const results = await Promise.all([
        first.client.patch(`/api/v1/users/${second.user.id}`, { disabled: true }),
        second.client.patch(`/api/v1/users/${first.user.id}`, { disabled: true }),
      ]);
      // One wins; the other is refused (409) or, if it came second, no longer signed in (401).
      expect(results.map((r) => r.status).sort()).toEqual(expect.arrayContaining([200]));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      const admins = await t.database.db
        .selectFrom('users')
        .select('id')
        .where('workspace_id', '=', workspace.id)
        .where('role', '=', 'admin')
        .where('status', '=', 'active')
        .execute();
      expect(admins).toHaveLength(1);
    }
  });

  it('validates the update body', async () => {
    const user = await createUser(t.database.db, admin.workspaceId);
    const empty = await admin.client.patch(`/api/v1/users/${user.id}`, {});
    expect(empty.status).toBe(400);
    const badRole = await admin.client.patch(`/api/v1/users/${user.id}`, { role: 'owner' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.errors[0].path).toBe('body.role');
  });
});

describe('listing users', () => {
  it('pages with a keyset cursor without duplicates or gaps', async () => {
    const workspace = await createWorkspace(t.database.db, 'Paged');
    const { client } = await signedInUser(t, 'admin', workspace.id);
    for (let i = 0; i < 6; i += 1) await createUser(t.database.db, workspace.id);
    const expected = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('workspace_id', '=', workspace.id)
      .execute();
    expect(expected).toHaveLength(7);

    const seen: string[] = [];
    let url = '/api/v1/users?limit=2';
    for (let pages = 0; pages < 10; pages += 1) {
      const response = await client.get(url);
      expect(response.status).toBe(200);
      expect(response.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...response.body.data.map((u: { id: string }) => u.id));
      if (!response.body.next) break;
      url = `/api/v1/users?limit=2&after=${response.body.next}`;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(expected.map((row) => row.id).sort());
    expect(seen).toEqual([...seen].sort().reverse());

    expect((await client.get('/api/v1/users?after=nonsense')).status).toBe(400);
    expect((await client.get('/api/v1/users?limit=0')).status).toBe(400);
  });
});

describe('workspace isolation', () => {
  it("hides another workspace's users from its admin", async () => {
    const otherWorkspace = await createWorkspace(t.database.db, 'Other');
    const other = await signedInUser(t, 'admin', otherWorkspace.id);
    const victim = await createUser(t.database.db, admin.workspaceId, { role: 'agent' });

    expect((await other.client.get(`/api/v1/users/${victim.id}`)).status).toBe(404);
    expect((await other.client.patch(`/api/v1/users/${victim.id}`, { role: 'admin' })).status).toBe(404);
    expect((await other.client.patch(`/api/v1/users/${victim.id}`, { disabled: true })).status).toBe(404);
    expect((await other.client.post(`/api/v1/users/${victim.id}/invite`)).status).toBe(404);
    const unchanged = await admin.client.get(`/api/v1/users/${victim.id}`);
    expect(unchanged.body).toMatchObject({ role: 'agent', status: 'active' });

    const list = await other.client.get('/api/v1/users?limit=200');
    expect(list.body.data.map((u: { id: string }) => u.id)).toEqual([other.user.id]);
  });
});
