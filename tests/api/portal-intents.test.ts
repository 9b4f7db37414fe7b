import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { defaultTerms, type Terms } from '../../src/shared/portal.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { portalBase, portalCustomer, portalCustomerWithRecord } from './helpers/portal.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let agent: Awaited<ReturnType<typeof signedInUser>>;
let executive: Awaited<ReturnType<typeof signedInUser>>;
let otherAdmin: Awaited<ReturnType<typeof signedInUser>>;
let ana: Awaited<ReturnType<typeof portalCustomerWithRecord>>;
let ben: Awaited<ReturnType<typeof portalCustomer>>;
let otherCustomer: Awaited<ReturnType<typeof portalCustomer>>;

const future = () => new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  agent = await signedInUser(t, 'agent', admin.workspaceId);
  executive = await signedInUser(t, 'executive', admin.workspaceId);
  otherAdmin = await signedInUser(t, 'admin');
  ana = await portalCustomerWithRecord(t, admin.client, admin.workspaceId, 'Ana Lopez', 'ana@example.com');
  ben = await portalCustomer(t, admin.workspaceId, 'ben@example.com', '10.0.0.2');
  otherCustomer = await portalCustomer(t, otherAdmin.workspaceId, 'ana@example.com', '10.0.0.3');
});
afterAll(() => t.close());

async function setTerms(personId: string, workspaceId: string, terms: Terms, version: number) {
  await t.database.db
    .insertInto('person_terms')
    .values({
      id: newId(),
      workspace_id: workspaceId,
      person_id: personId,
      version,
      terms: JSON.stringify(terms),
      set_by: 'customer',
    })
    .execute();
}

async function createIntent(client = ana.client, body: Record<string, unknown> = {}) {
  const response = await client.post(`${portalBase}/intents`, {
    what: 'A cargo bike for two children',
    budgetMin: 2000,
    budgetMax: 4500.5,
    currency: 'eur',
    wantedBy: future(),
    channel: 'email',
    ...body,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; status: string };
}

describe('customers announce what they are looking for', () => {
  it('creates an intent, lists it newest first with the channels their terms allow, and audits it', async () => {
    const first = await createIntent();
    const second = await createIntent(ana.client, {
      what: 'Winter tyres',
      channel: 'portal',
      budgetMin: null,
    });
    expect(second).toMatchObject({
      what: 'Winter tyres',
      budgetMin: null,
      budgetMax: 4500.5,
      currency: 'EUR',
      channel: 'portal',
      status: 'open',
      messages: [],
    });
    const list = await ana.client.get(`${portalBase}/intents`);
    expect(list.status).toBe(200);
    expect(list.body.data.map((intent: { id: string }) => intent.id)).toEqual([second.id, first.id]);
    expect(list.body.allowedChannels).toEqual(['portal', 'email', 'phone', 'post']);

    const row = await t.database.db
      .selectFrom('intents')
      .selectAll()
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ person_id: ana.personId, workspace_id: admin.workspaceId, channel: 'email' });
    expect(Number(row.budget_min)).toBe(2000);
    const audited = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', first.id)
      .execute();
    expect(audited).toMatchObject([
      { action: 'intent.created', actor_type: 'customer', actor_id: ana.personId },
    ]);
  });

  it('refuses a budget range upside down, a date in the past, an empty what and an unknown channel', async () => {
    const post = (body: Record<string, unknown>) =>
      ana.client.post(`${portalBase}/intents`, { what: 'A sofa', channel: 'portal', ...body });
    const upsideDown = await post({ budgetMin: 500, budgetMax: 100 });
    expect(upsideDown.status).toBe(400);
    expect(upsideDown.body.errors).toEqual([
      { path: 'body.budgetMax', message: expect.stringMatching(/budgetMin/) },
    ]);
    const past = await post({ wantedBy: '2020-01-01' });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].path).toBe('body.wantedBy');
    expect((await post({ what: '  ' })).status).toBe(400);
    expect((await post({ channel: 'fax' })).status).toBe(400);
    expect((await post({ currency: 'euro' })).status).toBe(400);
    expect((await post({ budgetMin: -1 })).status).toBe(400);
  });

  it('refuses a channel the customer’s own terms refuse, and offers only the allowed ones', async () => {
    const refused = await ana.client.post(`${portalBase}/intents`, { what: 'A van', channel: 'sms' });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain('your terms do not allow sms; change your terms or pick another');

    await setTerms(
      ana.personId,
      admin.workspaceId,
      { ...defaultTerms, channels: { ...defaultTerms.channels, sms: true, email: false } },
      1,
    );
    const list = await ana.client.get(`${portalBase}/intents`);
    expect(list.body.allowedChannels).toEqual(['portal', 'phone', 'sms', 'post']);
    const byEmail = await ana.client.post(`${portalBase}/intents`, { what: 'A van', channel: 'email' });
    expect(byEmail.status).toBe(400);
    expect(byEmail.body.detail).toContain('your terms do not allow email');
    await createIntent(ana.client, { what: 'A van', channel: 'sms' });
    await setTerms(ana.personId, admin.workspaceId, defaultTerms, 2);
  });

  it('creates the record of a customer who had none, and stores nothing when the honeypot is filled', async () => {
    expect(ben.session.personId).toBeNull();
    expect((await ben.client.get(`${portalBase}/intents`)).body.data).toEqual([]);
    const trap = await ben.client.post(`${portalBase}/intents`, {
      what: 'Cheap pills',
      channel: 'portal',
      website: 'http://spam.example',
    });
    expect(trap.status).toBe(201);
    expect(
      await t.database.db.selectFrom('intents').select('id').where('id', '=', trap.body.id).execute(),
    ).toEqual([]);

    const created = await createIntent(ben.client, { what: 'A piano teacher', channel: 'portal' });
    const row = await t.database.db
      .selectFrom('intents as i')
      .innerJoin('people as p', 'p.id', 'i.person_id')
      .select(['p.stage', 'p.email_keys'])
      .where('i.id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.email_keys).toContain('ben@example.com');
  });

  it('withdraws an open intent once; two withdrawals at once give one success and one 409', async () => {
    const intent = await createIntent();
    const [a, b] = await Promise.all([
      ana.client.post(`${portalBase}/intents/${intent.id}/withdraw`),
      ana.client.post(`${portalBase}/intents/${intent.id}/withdraw`),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const withdrawn = (a.status === 200 ? a : b).body;
    expect(withdrawn.status).toBe('withdrawn');
    const followUp = await ana.client.post(`${portalBase}/intents/${intent.id}/messages`, {
      body: 'Still there?',
    });
    expect(followUp.status).toBe(409);
    const answer = await agent.client.post(`/api/v1/portal/intents/${intent.id}/responses`, { body: 'Hi' });
    expect(answer.status).toBe(409);
  });

  it('lets customer B and customers of another workspace touch none of customer A’s intents (404)', async () => {
    const intent = await createIntent();
    for (const intruder of [ben.client, otherCustomer.client]) {
      expect((await intruder.post(`${portalBase}/intents/${intent.id}/withdraw`)).status).toBe(404);
      expect(
        (await intruder.post(`${portalBase}/intents/${intent.id}/messages`, { body: 'Mine now' })).status,
      ).toBe(404);
      const list = await intruder.get(`${portalBase}/intents`);
      expect(list.body.data.map((row: { id: string }) => row.id)).not.toContain(intent.id);
    }
    expect((await otherAdmin.client.get(`/api/v1/portal/intents/${intent.id}`)).status).toBe(404);
    expect(
      (await otherAdmin.client.post(`/api/v1/portal/intents/${intent.id}/responses`, { body: 'x' })).status,
    ).toBe(404);
    expect((await otherAdmin.client.post(`/api/v1/portal/intents/${intent.id}/close`)).status).toBe(404);
    const otherList = await otherAdmin.client.get('/api/v1/portal/intents');
    expect(otherList.body.data).toEqual([]);
    const stillOpen = await t.database.db
      .selectFrom('intents')
      .select('status')
      .where('id', '=', intent.id)
      .executeTakeFirstOrThrow();
    expect(stillOpen.status).toBe('open');
    // A portal session is no staff credential, and staff sessions are no customer's.
    expect((await ana.client.get('/api/v1/portal/intents')).status).toBe(401);
    expect((await admin.client.get(`${portalBase}/intents`)).status).toBe(401);
  });
});

describe('staff see intents as leads and answer them through the portal', () => {
  it('lists leads with person, budget and counts; filters by status and words; pages by keyset', async () => {
    const list = await executive.client.get('/api/v1/portal/intents?status=open&limit=2');
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(2);
    expect(list.body.data[0]).toMatchObject({
      status: 'open',
      person: { id: expect.any(String), name: expect.any(String) },
      messagesCount: 0,
    });
    const rest = await executive.client.get(
      `/api/v1/portal/intents?status=open&limit=2&after=${list.body.next}`,
    );
    expect(rest.status).toBe(200);
    const ids = [...list.body.data, ...rest.body.data].map((row: { id: string }) => row.id);
    expect(new Set(ids).size).toBe(ids.length);

    const piano = await agent.client.get('/api/v1/portal/intents?q=piano');
    expect(piano.body.data.map((row: { what: string }) => row.what)).toEqual(['A piano teacher']);
    const byName = await agent.client.get('/api/v1/portal/intents?q=lopez');
    expect(byName.body.data.length).toBeGreaterThan(0);
    expect(
      byName.body.data.every((row: { person: { name: string } }) => row.person.name === 'Ana Lopez'),
    ).toBe(true);
    const withdrawn = await agent.client.get('/api/v1/portal/intents?status=withdrawn');
    expect(withdrawn.body.data.every((row: { status: string }) => row.status === 'withdrawn')).toBe(true);
    expect((await agent.client.get('/api/v1/portal/intents?status=lost')).status).toBe(400);
    expect((await agent.client.get('/api/v1/portal/intents?after=nope')).status).toBe(400);
  });

  it('answers: the customer sees it in the portal and is told by email through the outbox', async () => {
    const intent = await createIntent(ana.client, { what: 'A sailing course in May' });
    const answered = await agent.client.post(`/api/v1/portal/intents/${intent.id}/responses`, {
      body: 'We run one from 3 May, 1200 EUR.',
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    expect(answered.body).toMatchObject({
      emailAllowed: true,
      messagesCount: 1,
      person: { email: 'ana@example.com' },
    });

    const mine = await ana.client.get(`${portalBase}/intents`);
    const seen = mine.body.data.find((row: { id: string }) => row.id === intent.id);
    expect(seen.messages).toMatchObject([
      { from: 'staff', body: 'We run one from 3 May, 1200 EUR.', authorName: expect.any(String) },
    ]);

    const mail = await t.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('entity', '=', 'intent')
      .where('entity_id', '=', intent.id)
      .executeTakeFirstOrThrow();
    expect(mail.to_address).toBe('ana@example.com');
    expect(mail.subject).toBe('You have an answer about: A sailing course in May');
    expect(mail.text_body).toMatch(/\/portal\/[a-z0-9-]+\/looking-for/);
    const logged = await t.database.db
      .selectFrom('contact_log')
      .selectAll()
      .where('outbox_id', '=', mail.id)
      .execute();
    expect(logged).toMatchObject([{ person_id: ana.personId, channel: 'email', purpose: 'service' }]);
    const audited = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_type'])
      .where('entity_id', '=', intent.id)
      .where('action', '=', 'intent.responded')
      .execute();
    expect(audited).toEqual([{ action: 'intent.responded', actor_type: 'user' }]);

    // The customer follows up; staff see the whole conversation.
    const followUp = await ana.client.post(`${portalBase}/intents/${intent.id}/messages`, {
      body: 'Is there a discount?',
    });
    expect(followUp.status).toBe(201);
    const detail = await agent.client.get(`/api/v1/portal/intents/${intent.id}`);
    expect(detail.body.messages.map((message: { from: string }) => message.from)).toEqual([
      'staff',
      'customer',
    ]);
    expect((await ana.client.post(`${portalBase}/intents/${intent.id}/messages`, { body: ' ' })).status).toBe(
      400,
    );
  });

  it('does not email a customer whose terms refuse email for service, and closes leads', async () => {
    const intent = await createIntent(ana.client, { what: 'Garden design', channel: 'portal' });
    await setTerms(
      ana.personId,
      admin.workspaceId,
      { ...defaultTerms, purposes: { ...defaultTerms.purposes, service: false } },
      3,
    );
    const answered = await admin.client.post(`/api/v1/portal/intents/${intent.id}/responses`, {
      body: 'We can help.',
    });
    expect(answered.status).toBe(201);
    expect(answered.body.emailAllowed).toBe(false);
    const mails = await t.database.db
      .selectFrom('outbox')
      .select('id')
      .where('entity_id', '=', intent.id)
      .execute();
    expect(mails).toEqual([]);

    expect(
      (await executive.client.post(`/api/v1/portal/intents/${intent.id}/responses`, { body: 'x' })).status,
    ).toBe(403);
    expect((await executive.client.post(`/api/v1/portal/intents/${intent.id}/close`)).status).toBe(403);
    const closed = await agent.client.post(`/api/v1/portal/intents/${intent.id}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect((await agent.client.post(`/api/v1/portal/intents/${intent.id}/close`)).status).toBe(409);
    expect((await ana.client.post(`${portalBase}/intents/${intent.id}/withdraw`)).status).toBe(409);
    expect((await agent.client.get(`/api/v1/portal/intents/${newId()}`)).status).toBe(404);
    await setTerms(ana.personId, admin.workspaceId, defaultTerms, 4);
  });
});
