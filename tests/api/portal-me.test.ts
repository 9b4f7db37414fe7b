// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are checked field by field in tests.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { createWorkspace, signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { portalBase, portalCustomer, portalCustomerWithRecord } from './helpers/portal.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let ana: Awaited<ReturnType<typeof portalCustomerWithRecord>>;
let bruno: Awaited<ReturnType<typeof portalCustomerWithRecord>>;
let anaItemId: string;

const me = `${portalBase}/me`;
/** Strings that only customer B's data contains: none may appear in A's answers. */
const brunoStrings = ['bruno@example.com', 'Bruno', 'Costa', 'Broken pedal', '+14155550999'];
/** Internal staff text about Ana: never shown to her. */
const internalStrings = ['SECRET-PERSON-NOTE', 'INTERNAL-TIMELINE-NOTE', 'INTERNAL-ITEM-NOTE', 'vip-secret'];

beforeAll(async () => {
  t = await createTestApp({ PORTAL_LINKS_PER_IP: '1000', PORTAL_LINKS_PER_EMAIL: '100' });
  admin = await signedInUser(t, 'admin');
  ana = await portalCustomerWithRecord(t, admin.client, admin.workspaceId, 'Ana Lima', 'ana@example.com');
  bruno = await portalCustomerWithRecord(
    t,
    admin.client,
    admin.workspaceId,
    'Bruno Costa',
    'bruno@example.com',
  );

  const staff = admin.client;
  const anaPerson = await staff.get(`/api/v1/people/${ana.personId}`);
  const marked = await staff.patch(`/api/v1/people/${ana.personId}`, {
    version: anaPerson.body.version,
    notes: 'SECRET-PERSON-NOTE',
    tags: ['vip-secret'],
  });
  expect(marked.status, JSON.stringify(marked.body)).toBe(200);
  const brunoPerson = await staff.get(`/api/v1/people/${bruno.personId}`);
  await staff.patch(`/api/v1/people/${bruno.personId}`, {
    version: brunoPerson.body.version,
    phones: [{ value: '+1 415 555 0999' }],
  });
  for (const body of [
    {
      type: 'call',
      summary: 'Talked about the renewal',
      personIds: [ana.personId],
      outcome: 'Renews in May',
    },
    { type: 'note', summary: 'INTERNAL-TIMELINE-NOTE', personIds: [ana.personId] },
    { type: 'call', summary: 'Bruno asked about pedals', personIds: [bruno.personId] },
  ]) {
    const created = await staff.post('/api/v1/interactions', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  const item = await staff.post('/api/v1/items', {
    kind: 'complaint',
    subject: 'The car will not start',
    personId: ana.personId,
    acknowledge: false,
  });
  expect(item.status, JSON.stringify(item.body)).toBe(201);
  anaItemId = item.body.id;
  expect((await staff.post(`/api/v1/items/${anaItemId}/reply`, { body: 'We are on it.' })).status).toBe(201);
  expect((await staff.post(`/api/v1/items/${anaItemId}/note`, { body: 'INTERNAL-ITEM-NOTE' })).status).toBe(
    200,
  );
  const other = await staff.post('/api/v1/items', {
    kind: 'complaint',
    subject: 'Broken pedal',
    personId: bruno.personId,
    acknowledge: false,
  });
  expect(other.status).toBe(201);
  await t.database.db
    .insertInto('person_terms')
    .values({
      id: newId(),
      workspace_id: admin.workspaceId,
      person_id: ana.personId,
      version: 1,
      set_by: 'customer',
      terms: JSON.stringify({
        channels: { email: true, phone: false, sms: false, post: false },
        purposes: { service: true, product_news: true, marketing: false, research: false },
        frequency: { product_news: 'monthly', marketing: 'any', research: 'any' },
        shareWithThirdParties: false,
      }),
    })
    .execute();
});
afterAll(() => t.close());

const expectNone = (text: string, needles: string[]) => {
  for (const needle of needles) expect(text, `must not contain ${needle}`).not.toContain(needle);
};

describe('GET /portal/api/v1/me', () => {
  it('shows the customer their contact details, interactions, items and terms, without internal notes', async () => {
    const response = await ana.client.get(me);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const body = response.body;
    expect(body.email).toBe('ana@example.com');
    expect(body.person).toMatchObject({
      id: ana.personId,
      displayName: 'Ana Lima',
      givenName: 'Ana',
      emails: [{ value: 'ana@example.com', primary: true }],
    });
    expect(body.person).not.toHaveProperty('notes');
    expect(body.person).not.toHaveProperty('tags');
    expect(body.person).not.toHaveProperty('stage');
    expect(body.interactions).toHaveLength(1);
    expect(body.interactions[0]).toMatchObject({
      summary: 'Talked about the renewal',
      outcome: 'Renews in May',
    });
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      id: anaItemId,
      subject: 'The car will not start',
      kind: 'complaint',
    });
    expect(body.terms).toMatchObject({ version: 1, setBy: 'customer' });
    expect(body.terms.terms.purposes.product_news).toBe(true);
    expect(body.consents.map((c: any) => c.version)).toEqual([1]);
    expect(body.surveyAnswers).toEqual([]);
    expectNone(JSON.stringify(body), [...internalStrings, ...brunoStrings]);
  });

  it('shows default terms (version 0) to a customer who never set any', async () => {
    const response = await bruno.client.get(me);
    expect(response.body.terms).toMatchObject({ version: 0, setBy: null });
    expect(response.body.terms.terms.purposes.marketing).toBe(false);
    expect(response.body.consents).toEqual([]);
    expectNone(JSON.stringify(response.body), [
      'ana@example.com',
      'Ana',
      'renewal',
      'The car will not start',
    ]);
  });

  it('refuses staff credentials and anonymous callers', async () => {
    expect((await admin.client.get(me)).status).toBe(401);
    expect((await t.client().get(me)).status).toBe(401);
    expect((await t.client().get(`${me}/export`)).status).toBe(401);
  });

  it('gives a customer of another workspace with the same email nothing of this workspace', async () => {
    const other = await createWorkspace(t.database.db, 'Other Co');
    const customer = await portalCustomer(t, other.id, 'ana@example.com');
    const mine = await customer.client.get(me);
    expect(mine.status).toBe(200);
    expect(mine.body.person).toBeNull();
    expect(mine.body.items).toEqual([]);
    const exported = await customer.client.get(`${me}/export`);
    expectNone(JSON.stringify(exported.body), ['Ana Lima', 'The car will not start', 'renewal']);
  });
});

describe('GET /portal/api/v1/me/export and /me/vcard', () => {
  it('downloads everything as one JSON attachment, with conversations but never notes or another customer', async () => {
    const response = await ana.client.get(`${me}/export`);
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="my-data.json"');
    expect(String(response.headers['content-type'])).toMatch(/^application\/json/);
    const body = response.body;
    expect(body.person.id).toBe(ana.personId);
    expect(body.items[0].messages.map((m: any) => [m.from, m.body])).toEqual([['staff', 'We are on it.']]);
    expect(body.signIns.length).toBeGreaterThanOrEqual(1);
    expect(body.activity.some((row: any) => row.action === 'portal.signed_in')).toBe(true);
    for (const key of ['votes', 'suggestionComments', 'articleFeedback', 'intents', 'erasureRequests']) {
      expect(Array.isArray(body[key]), key).toBe(true);
    }
    expect(body.consents).toHaveLength(1);
    expectNone(JSON.stringify(body), [...internalStrings, ...brunoStrings]);
  });

  it('downloads the customer’s own card as vCard 4.0 without internal properties', async () => {
    const response = await ana.client.get(`${me}/vcard`);
    expect(response.status).toBe(200);
    expect(String(response.headers['content-type'])).toMatch(/^text\/vcard/);
    const card = String(response.body);
    expect(card).toMatch(/^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
    expect(card).toContain('FN:Ana Lima');
    expect(card).toContain('ana@example.com');
    expect(card).toMatch(/END:VCARD\r\n$/);
    expectNone(card, ['X-RAPPORT', 'NOTE', 'CATEGORIES', ...internalStrings, ...brunoStrings]);
  });
});

describe('PATCH /portal/api/v1/me', () => {
  it('corrects a phone number at once: normalised, searchable, versioned and audited as the customer', async () => {
    const before = await ana.client.get(me);
    const response = await ana.client.patch(me, {
      version: before.body.person.version,
      phones: [{ value: '(415) 555-0123', label: 'mobile' }],
      pronouns: 'she/her',
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.phones).toEqual([
      { value: '(415) 555-0123', e164: '+14155550123', label: 'mobile', primary: true },
    ]);
    expect(response.body.version).toBe(before.body.person.version + 1);

    const row = await t.database.db
      .selectFrom('people')
      .select(['phone_keys', 'search_text', 'notes', 'tags', 'pronouns'])
      .where('id', '=', ana.personId)
      .executeTakeFirstOrThrow();
    expect(row.phone_keys).toEqual(['+14155550123']);
    expect(row.search_text).toContain('4155550123');
    expect(row).toMatchObject({ notes: 'SECRET-PERSON-NOTE', tags: ['vip-secret'], pronouns: 'she/her' });
    const search = await admin.client.get('/api/v1/people?q=4155550123');
    expect(search.body.data.map((p: any) => p.id)).toEqual([ana.personId]);

    const audits = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', ana.personId)
      .where('action', '=', 'person.updated')
      .where('actor_type', '=', 'customer')
      .execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actor_id).toBe(ana.personId);
    expect((audits[0]!.before as any).phones).toEqual([]);
    expect((audits[0]!.after as any).phones[0].e164).toBe('+14155550123');
  });

  it('refuses fields that stay with staff (400 naming them) and bad values (422 naming the field)', async () => {
    for (const field of [
      { stage: 'customer' },
      { tags: ['x'] },
      { notes: 'x' },
      { organizationId: newId() },
    ]) {
      const response = await ana.client.patch(me, field);
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(response.body.detail).toContain(Object.keys(field)[0]);
      expect(response.body.errors[0].message).toMatch(/Unknown field/);
    }
    const phone = await ana.client.patch(me, { phones: [{ value: 'call me maybe' }] });
    expect(phone.status).toBe(422);
    expect(phone.body.errors[0].path).toBe('body.phones.0.value');
    const email = await ana.client.patch(me, { emails: [{ value: 'not an email' }] });
    expect(email.status).toBe(422);
    expect(email.body.errors.map((e: any) => e.path)).toContain('body.emails.0.value');
    const dropped = await ana.client.patch(me, { emails: [{ value: 'other@example.com' }] });
    expect(dropped.status).toBe(422);
    expect(dropped.body.errors[0]).toMatchObject({ path: 'body.emails' });
    expect(dropped.body.errors[0].message).toContain('ana@example.com');
    const birthday = await ana.client.patch(me, { birthday: '1990-02-31' });
    expect(birthday.status).toBe(400);
    const stage = await t.database.db
      .selectFrom('people')
      .select(['stage', 'tags'])
      .where('id', '=', ana.personId)
      .executeTakeFirstOrThrow();
    expect(stage).toEqual({ stage: 'prospect', tags: ['vip-secret'] });
  });

  it('answers 409 to a stale version, and to the loser of two concurrent saves', async () => {
    const current = (await ana.client.get(me)).body.person.version;
    const stale = await ana.client.patch(me, { version: current - 1, jobTitle: 'Pilot' });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toMatch(/since you read it/);
    const [a, b] = await Promise.all([
      ana.client.patch(me, { version: current, jobTitle: 'Engineer' }),
      ana.client.patch(me, { version: current, jobTitle: 'Designer' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const after = (await ana.client.get(me)).body.person;
    expect(after.version).toBe(current + 1);
    expect(after.jobTitle).toBe(a.status === 200 ? 'Engineer' : 'Designer');
  });

  it('cannot touch another customer: every change lands on the caller’s own record', async () => {
    const brunoBefore = (await admin.client.get(`/api/v1/people/${bruno.personId}`)).body;
    const response = await ana.client.patch(me, { nickname: 'Nana' });
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(ana.personId);
    const brunoAfter = (await admin.client.get(`/api/v1/people/${bruno.personId}`)).body;
    expect(brunoAfter.version).toBe(brunoBefore.version);
    expect(brunoAfter.nickname).toBeNull();
  });
});

describe('a customer without a record', () => {
  it('gets an empty /me; the first PATCH creates the record and links their session', async () => {
    const newcomer = await portalCustomer(t, admin.workspaceId, 'nia@example.com');
    expect(newcomer.session.personId).toBeNull();
    const empty = await newcomer.client.get(me);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({
      email: 'nia@example.com',
      person: null,
      organization: null,
      interactions: [],
      items: [],
      consents: [],
      surveyAnswers: [],
      terms: { version: 0 },
    });
    const card = await newcomer.client.get(`${me}/vcard`);
    expect(String(card.body)).toContain('EMAIL;PREF=1:nia@example.com');

    const saved = await newcomer.client.patch(me, {
      givenName: 'Nia',
      familyName: 'Okafor',
      emails: [{ value: 'nia@example.com' }],
      phones: [{ value: '415-555-0177', label: 'Phone 1' }],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.displayName).toBe('Nia Okafor');
    const person = await t.database.db
      .selectFrom('people')
      .select(['id', 'stage', 'email_keys', 'phone_keys'])
      .where('workspace_id', '=', admin.workspaceId)
      .where('id', '=', saved.body.id)
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({ stage: 'prospect', email_keys: ['nia@example.com'] });
    expect(person.phone_keys).toEqual(['+14155550177']);
    const sessions = await t.database.db
      .selectFrom('portal_sessions')
      .select('person_id')
      .where('email', '=', 'nia@example.com')
      .execute();
    expect(sessions.every((session) => session.person_id === person.id)).toBe(true);
    const mine = await newcomer.client.get(me);
    expect(mine.body.person.id).toBe(person.id);
  });

  it('finds a record staff created after the customer signed in, by their email', async () => {
    const early = await portalCustomer(t, admin.workspaceId, 'omar@example.com');
    expect(early.session.personId).toBeNull();
    const created = await admin.client.post('/api/v1/people', {
      givenName: 'Omar',
      emails: [{ value: 'omar@example.com' }],
    });
    const mine = await early.client.get(me);
    expect(mine.body.person.id).toBe(created.body.id);
    const saved = await early.client.patch(me, { version: created.body.version, familyName: 'Haddad' });
    expect(saved.status).toBe(200);
    expect(saved.body.id).toBe(created.body.id);
    const count = await t.database.db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where(sql<boolean>`email_keys @> array['omar@example.com']::text[]`)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('can still ask to erase a record staff deleted (it is kept, restorable, for 30 days)', async () => {
    const rui = await portalCustomerWithRecord(
      t,
      admin.client,
      admin.workspaceId,
      'Rui Sousa',
      'rui@example.com',
    );
    expect((await admin.client.delete(`/api/v1/people/${rui.personId}`)).status).toBe(204);
    const asked = await rui.client.post(`${me}/erasure`, {});
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
  });

  it('acts as a customer without a record once staff delete theirs (no error), finding another live record of their email first', async () => {
    const pia = await portalCustomerWithRecord(
      t,
      admin.client,
      admin.workspaceId,
      'Pia Berg',
      'pia@example.com',
    );
    const other = await admin.client.post('/api/v1/people', {
      givenName: 'Pia',
      familyName: 'Berg (dup)',
      emails: [{ value: 'pia@example.com' }],
    });
    expect((await admin.client.delete(`/api/v1/people/${pia.personId}`)).status).toBe(204);
    // Her session still names the deleted record: /me shows the live record of her email instead.
    const mine = await pia.client.get(me);
    expect(mine.status).toBe(200);
    expect(mine.body.person.id).toBe(other.body.id);
    const saved = await pia.client.patch(me, { version: other.body.version, jobTitle: 'Pilot' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.id).toBe(other.body.id);

    // With no live record of her email left, a save creates one instead of failing.
    expect((await admin.client.delete(`/api/v1/people/${other.body.id}`)).status).toBe(204);
    const empty = await pia.client.get(me);
    expect(empty.body.person).toBeNull();
    const again = await pia.client.patch(me, {});
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect([pia.personId, other.body.id]).not.toContain(again.body.id);
    expect(again.body.emails).toEqual([{ label: null, value: 'pia@example.com', primary: true }]);
  });
});
