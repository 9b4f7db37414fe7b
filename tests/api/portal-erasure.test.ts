// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are checked field by field in tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { portalBase, portalCustomer, portalCustomerWithRecord } from './helpers/portal.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let manager: Awaited<ReturnType<typeof signedInUser>>;
let agent: Awaited<ReturnType<typeof signedInUser>>;
let outsider: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp({ PORTAL_LINKS_PER_IP: '200' });
  admin = await signedInUser(t, 'admin');
  manager = await signedInUser(t, 'manager', admin.workspaceId);
  agent = await signedInUser(t, 'agent', admin.workspaceId);
  outsider = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

const requests = '/api/v1/portal/erasure-requests';
const customerWith = (name: string, email: string) =>
  portalCustomerWithRecord(t, admin.client, admin.workspaceId, name, email);

async function ask(client: any, body: unknown = {}) {
  const response = await client.post(`${portalBase}/me/erasure`, body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

describe('a customer asks for erasure', () => {
  it('creates the request due in the portal deadline, audits it and mails the admins without the name', async () => {
    const ana = await customerWith('Ana Lindqvist', 'ana@example.com');
    const before = Date.now();
    const request = await ask(ana.client, { reason: '  Moving abroad  ' });
    expect(request).toMatchObject({ status: 'requested', decisionNote: null, completedAt: null });
    const due = new Date(request.dueAt).getTime() - new Date(request.requestedAt).getTime();
    expect(due).toBe(30 * 86_400_000);
    expect(new Date(request.requestedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);

    const row = await t.database.db
      .selectFrom('erasure_requests')
      .selectAll()
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ person_id: ana.personId, reason: 'Moving abroad' });
    expect(row.email_hash).toMatch(/^[0-9a-f]{64}$/);
    const entry = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'erasure.requested')
      .where('entity_id', '=', request.id)
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_type: 'customer', actor_id: ana.personId });
    const mails = await t.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('entity', '=', 'erasure_request')
      .where('entity_id', '=', request.id)
      .execute();
    expect(mails.map((mail) => mail.to_address)).toEqual([admin.user.email]);
    expect(mails[0]!.text_body).not.toContain('Ana');

    const mine = await ana.client.get(`${portalBase}/me/erasure`);
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual([request]);
  });

  it('refuses a second open request with 409 naming the open one, also when both arrive at once', async () => {
    const bo = await customerWith('Bo Berg', 'bo@example.com');
    const first = await ask(bo.client);
    const second = await bo.client.post(`${portalBase}/me/erasure`, {});
    expect(second.status).toBe(409);
    expect(second.body.detail).toContain(first.id);

    const cy = await customerWith('Cy Ek', 'cy@example.com');
    const both = await Promise.all([1, 2, 3].map(() => cy.client.post(`${portalBase}/me/erasure`, {})));
    expect(both.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('refuses a customer the company holds nothing about, bad input, and callers without a portal session', async () => {
    const stranger = await portalCustomer(t, admin.workspaceId, 'stranger@example.com');
    const nothing = await stranger.client.post(`${portalBase}/me/erasure`, {});
    expect(nothing.status).toBe(409);
    expect(nothing.body.detail).toMatch(/We hold nothing about you beyond your sign-in email/);
    expect((await stranger.client.get(`${portalBase}/me/erasure`)).body.data).toEqual([]);

    const dee = await customerWith('Dee Holm', 'dee@example.com');
    const long = await dee.client.post(`${portalBase}/me/erasure`, { reason: 'x'.repeat(2001) });
    expect(long.status).toBe(400);
    expect(long.body.errors[0].path).toBe('body.reason');
    expect((await dee.client.post(`${portalBase}/me/erasure`, { why: 'x' })).status).toBe(400);
    expect((await t.client().post(`${portalBase}/me/erasure`, {})).status).toBe(401);
    // Staff credentials are not a portal session.
    expect((await admin.client.get(`${portalBase}/me/erasure`)).status).toBe(401);
  });

  it('shows each customer only their own requests, across customers and workspaces', async () => {
    const eva = await customerWith('Eva Nord', 'eva@example.com');
    const fil = await customerWith('Fil Syd', 'fil@example.com');
    const evas = await ask(eva.client);
    const fils = (await fil.client.get(`${portalBase}/me/erasure`)).body.data;
    expect(fils.map((r: any) => r.id)).not.toContain(evas.id);
    // The same email in another workspace is another customer.
    await outsider.client.post('/api/v1/people', {
      givenName: 'Eva',
      emails: [{ value: 'eva@example.com' }],
    });
    const evaElsewhere = await portalCustomer(t, outsider.workspaceId, 'eva@example.com');
    expect((await evaElsewhere.client.get(`${portalBase}/me/erasure`)).body.data).toEqual([]);
  });
});

describe('staff decide', () => {
  it('lists requests with the name, due date and overdue flag, filtered by status and paged', async () => {
    const gus = await customerWith('Gus Vale', 'gus@example.com');
    const request = await ask(gus.client);
    const list = await agent.client.get(`${requests}?status=requested&limit=2`);
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBe(2);
    expect(list.body.next).not.toBeNull();
    expect(list.body.data[0]).toMatchObject({ id: request.id, personName: 'Gus Vale', overdue: false });
    const rest = await agent.client.get(`${requests}?status=requested&limit=200&after=${list.body.next}`);
    expect(rest.body.data.map((r: any) => r.id)).not.toContain(request.id);
    expect(rest.body.data.every((r: any) => r.status === 'requested')).toBe(true);

    t.deps.clock = () => new Date(Date.now() + 31 * 86_400_000);
    try {
      const late = await agent.client.get(`${requests}?status=requested`);
      expect(late.body.data.every((r: any) => r.overdue)).toBe(true);
    } finally {
      t.deps.clock = undefined;
    }
    expect((await agent.client.get(`${requests}?status=lost`)).status).toBe(400);
    expect((await agent.client.get(`${requests}?after=nope`)).status).toBe(400);
    expect((await outsider.client.get(requests)).body.data).toEqual([]);
    expect((await t.client().get(requests)).status).toBe(401);
  });

  it('lets only admins of the workspace decide: agents and managers 403, another workspace 404', async () => {
    const hal = await customerWith('Hal Strand', 'hal@example.com');
    const request = await ask(hal.client);
    for (const client of [agent.client, manager.client]) {
      expect((await client.post(`${requests}/${request.id}/approve`, {})).status).toBe(403);
      expect((await client.post(`${requests}/${request.id}/reject`, { note: 'no' })).status).toBe(403);
    }
    expect((await outsider.client.post(`${requests}/${request.id}/approve`, {})).status).toBe(404);
    expect((await outsider.client.post(`${requests}/${request.id}/reject`, { note: 'no' })).status).toBe(404);
    expect((await admin.client.post(`${requests}/not-an-id/approve`, {})).status).toBe(400);
    const still = await t.database.db
      .selectFrom('people')
      .select('display_name')
      .where('id', '=', hal.personId)
      .executeTakeFirstOrThrow();
    expect(still.display_name).toBe('Hal Strand');
  });

  it('rejects only with a note, tells the customer why, and lets them ask again', async () => {
    const ida = await customerWith('Ida Fjord', 'ida@example.com');
    const request = await ask(ida.client);
    const bare = await admin.client.post(`${requests}/${request.id}/reject`, {});
    expect(bare.status).toBe(400);
    expect(bare.body.errors[0]).toMatchObject({ path: 'body.note' });
    expect((await admin.client.post(`${requests}/${request.id}/reject`, { note: '   ' })).status).toBe(400);

    const rejected = await admin.client.post(`${requests}/${request.id}/reject`, {
      note: 'An invoice dispute is open; we must keep the records until it is settled.',
    });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      personName: 'Ida Fjord',
      decidedBy: admin.user.id,
    });
    const mail = await t.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('to_address', '=', 'ida@example.com')
      .where('entity', '=', 'erasure_request')
      .executeTakeFirstOrThrow();
    expect(mail.text_body).toContain('An invoice dispute is open');
    const seen = await ida.client.get(`${portalBase}/me/erasure`);
    expect(seen.body.data[0]).toMatchObject({
      status: 'rejected',
      decisionNote: expect.stringMatching(/invoice/),
    });

    const twice = await admin.client.post(`${requests}/${request.id}/approve`, {});
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toMatch(/already decided: it is rejected/);
    expect((await ida.client.post(`${portalBase}/me/erasure`, {})).status).toBe(201);
  });

  it('sweeps whole words only, and leaves the name of another person who shares a first name', async () => {
    const kim = await customerWith('Kim Lundgren', 'kim.l@example.com');
    const otherKim = await admin.client.post('/api/v1/people', { givenName: 'Kim', familyName: 'Berg' });
    const friend = await admin.client.post('/api/v1/people', {
      givenName: 'Kimberly',
      familyName: 'Sol',
      notes: 'Sister of Kim Lundgren; Kimberly knows kim.l@example.com too. Ask KIM.',
    });
    expect(friend.status).toBe(201);
    const request = await ask(kim.client);
    expect((await admin.client.post(`${requests}/${request.id}/approve`, {})).status).toBe(200);
    const rows = await t.database.db
      .selectFrom('people')
      .select(['id', 'given_name', 'display_name', 'notes'])
      .where('id', 'in', [otherKim.body.id, friend.body.id])
      .execute();
    const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
    expect(byId[otherKim.body.id]).toMatchObject({ given_name: 'Kim', display_name: 'Kim Berg' });
    expect(byId[friend.body.id]).toMatchObject({
      given_name: 'Kimberly',
      notes: 'Sister of [erased]; Kimberly knows [erased] too. Ask [erased].',
    });
  });

  it('finds the address by its hash when the record is gone, tells the customer and scrubs their mail', async () => {
    const liv = await customerWith('Liv Ost', 'liv@example.com');
    const request = await ask(liv.client);
    // As after the purge of a deleted person: the request no longer points at a record.
    await t.database.db
      .updateTable('erasure_requests')
      .set({ person_id: null })
      .where('id', '=', request.id)
      .execute();
    const approved = await admin.client.post(`${requests}/${request.id}/approve`, {});
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const mails = await t.database.db
      .selectFrom('outbox')
      .select(['id', 'to_address', 'entity', 'text_body'])
      .where('workspace_id', '=', admin.workspaceId)
      .where((eb) => eb.or([eb('to_address', '=', 'liv@example.com'), eb('entity_id', '=', request.id)]))
      .execute();
    const notice = mails.find(
      (mail) => mail.entity === 'erasure_request' && mail.to_address !== admin.user.email,
    );
    expect(notice?.to_address).toBe('liv@example.com');
    expect(mails.filter((mail) => mail.to_address === 'liv@example.com')).toHaveLength(1);
    const sessions = await t.database.db
      .selectFrom('portal_sessions')
      .select('id')
      .where('email', '=', 'liv@example.com')
      .execute();
    expect(sessions).toEqual([]);
  });

  it('approves once: the second of two concurrent approvals gets 409', async () => {
    const jon = await customerWith('Jon Dal', 'jon@example.com');
    const request = await ask(jon.client);
    const results = await Promise.all(
      [1, 2].map(() => admin.client.post(`${requests}/${request.id}/approve`, {})),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const done = results.find((r) => r.status === 200)!.body;
    expect(done).toMatchObject({ status: 'done', personName: null });
    const notices = await t.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('entity_id', '=', request.id)
      .where('to_address', '=', 'jon@example.com')
      .execute();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text_body).not.toMatch(/Jon/);
    const entries = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', request.id)
      .where('action', '=', 'erasure.done')
      .execute();
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries[0])).not.toMatch(/Jon|jon@example/);
  });
});
