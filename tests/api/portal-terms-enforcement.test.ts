import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeItemsWithOutput } from '../../src/features/items/create-batch.ts';
import { createItemInput } from '../../src/shared/listening.ts';
import { defaultTerms, type Terms } from '../../src/shared/portal.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { portalBase, portalCustomerWithRecord } from './helpers/portal.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

const withTerms = (change: Partial<Terms>): Terms => ({ ...defaultTerms, ...change });
const outboxTo = (email: string) =>
  t.database.db
    .selectFrom('outbox')
    .selectAll()
    .where('to_address', '=', email)
    .where('entity', 'is distinct from', 'portal_magic_link')
    .execute();
const contactLog = (personId: string) =>
  t.database.db.selectFrom('contact_log').selectAll().where('person_id', '=', personId).execute();

async function customerWithTerms(name: string, email: string, terms: Terms) {
  const customer = await portalCustomerWithRecord(t, admin.client, admin.workspaceId, name, email);
  const saved = await customer.client.put(`${portalBase}/me/terms`, { terms });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return customer;
}

const message = (purpose: string, extra: Record<string, unknown> = {}) => ({
  purpose,
  subject: 'Our autumn news',
  body: 'Hello, here is what is new.',
  ...extra,
});

describe('staff messages under the customer terms', () => {
  it('refuses marketing to a customer who said no, with the reason and nothing queued; service goes', async () => {
    const ana = await customerWithTerms('Ana Silva', 'ana@example.com', withTerms({}));
    const refused = await admin.client.post(`/api/v1/people/${ana.personId}/messages`, message('marketing'));
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(
      /^Ana refused marketing messages \(terms v1, set \d{1,2} \w{3} \d{4}\)\.$/,
    );
    expect(await outboxTo('ana@example.com')).toHaveLength(0);
    expect(await contactLog(ana.personId)).toHaveLength(0);

    const sent = await admin.client.post(`/api/v1/people/${ana.personId}/messages`, message('service'));
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body).toMatchObject({ to: 'ana@example.com', purpose: 'service' });
    const [mail] = await outboxTo('ana@example.com');
    expect(mail).toMatchObject({ id: sent.body.outboxId, subject: 'Our autumn news', entity: 'person' });
    expect(await contactLog(ana.personId)).toMatchObject([
      { purpose: 'service', channel: 'email', outbox_id: sent.body.outboxId },
    ]);
    const timeline = await admin.client.get(`/api/v1/people/${ana.personId}/timeline`);
    expect(JSON.stringify(timeline.body)).toContain('Our autumn news');
    const audited = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', ana.personId)
      .where('action', '=', 'person.messaged')
      .execute();
    expect(audited).toHaveLength(1);
  });

  it('holds product news to at most once a month', async () => {
    const bo = await customerWithTerms(
      'Bo Berg',
      'bo@example.com',
      withTerms({
        purposes: { service: true, product_news: true, marketing: false, research: false },
        frequency: { product_news: 'monthly', marketing: 'any', research: 'any' },
      }),
    );
    const first = await admin.client.post(`/api/v1/people/${bo.personId}/messages`, message('product_news'));
    expect(first.status).toBe(201);
    const start = Date.now();
    t.deps.clock = () => new Date(start + 20 * 86_400_000);
    try {
      const second = await admin.client.post(
        `/api/v1/people/${bo.personId}/messages`,
        message('product_news'),
      );
      expect(second.status).toBe(409);
      expect(second.body.detail).toMatch(
        /^Bo allows product news at most once a month; the last was sent on /,
      );
      expect(await outboxTo('bo@example.com')).toHaveLength(1);
      // Service messages are never held by a frequency.
      expect(
        (await admin.client.post(`/api/v1/people/${bo.personId}/messages`, message('service'))).status,
      ).toBe(201);
      t.deps.clock = () => new Date(start + 31 * 86_400_000);
      const later = await admin.client.post(
        `/api/v1/people/${bo.personId}/messages`,
        message('product_news'),
      );
      expect(later.status).toBe(201);
    } finally {
      t.deps.clock = undefined;
    }
    const overview = await admin.client.get(`/api/v1/people/${bo.personId}/terms`);
    expect(overview.status).toBe(200);
    expect(overview.body.contactsLast365Days).toEqual({
      service: 1,
      product_news: 2,
      marketing: 0,
      research: 0,
    });
    expect(overview.body.current).toMatchObject({ version: 1, setBy: 'customer' });
    expect(overview.body.history).toHaveLength(1);
  });

  it('sends only to one of their addresses and refuses bad input', async () => {
    const cy = await customerWithTerms('Cy Cole', 'cy@example.com', withTerms({}));
    const stranger = await admin.client.post(
      `/api/v1/people/${cy.personId}/messages`,
      message('service', { to: 'someone@else.example' }),
    );
    expect(stranger.status).toBe(422);
    expect(JSON.stringify(stranger.body.errors)).toContain('body.to');
    const bad = await admin.client.post(`/api/v1/people/${cy.personId}/messages`, {
      purpose: 'spam',
      subject: '',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('body.purpose');
    expect(await outboxTo('someone@else.example')).toHaveLength(0);
  });

  it('needs people.write to send, people.read to look; another workspace gets 404', async () => {
    const dee = await customerWithTerms('Dee Dunn', 'dee@example.com', withTerms({}));
    const executive = await signedInUser(t, 'executive', admin.workspaceId);
    expect(
      (await executive.client.post(`/api/v1/people/${dee.personId}/messages`, message('service'))).status,
    ).toBe(403);
    expect((await executive.client.get(`/api/v1/people/${dee.personId}/terms`)).status).toBe(200);
    const other = await signedInUser(t, 'admin');
    expect(
      (await other.client.post(`/api/v1/people/${dee.personId}/messages`, message('service'))).status,
    ).toBe(404);
    expect((await other.client.get(`/api/v1/people/${dee.personId}/terms`)).status).toBe(404);
    expect(await outboxTo('dee@example.com')).toHaveLength(0);
  });
});

describe('item mail under the customer terms', () => {
  const noEmail = withTerms({ channels: { email: false, phone: true, sms: false, post: true } });

  it('refuses a staff reply by email with 409 and the reason; no message is written', async () => {
    const eve = await customerWithTerms('Eve Ek', 'eve@example.com', noEmail);
    const created = await admin.client.post('/api/v1/items', {
      kind: 'complaint',
      subject: 'Broken lid',
      personId: eve.personId,
      acknowledge: false,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const reply = await admin.client.post(`/api/v1/items/${created.body.id}/reply`, {
      body: 'Sorry about that.',
    });
    expect(reply.status).toBe(409);
    expect(reply.body.detail).toMatch(/^Eve does not want to be contacted by email \(terms v1, set /);
    const messages = await t.database.db
      .selectFrom('item_messages')
      .select('id')
      .where('item_id', '=', created.body.id)
      .execute();
    expect(messages).toHaveLength(0);
    expect(await outboxTo('eve@example.com')).toHaveLength(0);
  });

  it('still creates the item but skips the acknowledgement, recording why', async () => {
    const fay = await customerWithTerms('Fay Fox', 'fay@example.com', noEmail);
    const created = await admin.client.post('/api/v1/items', {
      kind: 'question',
      subject: 'Opening hours?',
      personId: fay.personId,
      acknowledge: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.status).toBe('new');
    expect(await outboxTo('fay@example.com')).toHaveLength(0);
    const events = await t.database.db
      .selectFrom('item_events')
      .select(['type', 'data'])
      .where('item_id', '=', created.body.id)
      .execute();
    expect(events.map((event) => event.type)).toEqual(['created', 'customer_contact_blocked']);
    expect(JSON.stringify(events[1]!.data)).toMatch(/Fay does not want to be contacted by email/);
  });

  it('acknowledges and replies by email when the terms allow it, logging the contact', async () => {
    const gil = await customerWithTerms('Gil Green', 'gil@example.com', withTerms({}));
    const created = await admin.client.post('/api/v1/items', {
      kind: 'question',
      subject: 'Delivery time?',
      personId: gil.personId,
      acknowledge: true,
    });
    expect(created.body.status).toBe('acknowledged');
    const reply = await admin.client.post(`/api/v1/items/${created.body.id}/reply`, { body: 'Two days.' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(await outboxTo('gil@example.com')).toHaveLength(2);
    expect((await contactLog(gil.personId)).map((row) => row.purpose)).toEqual(['service', 'service']);
  });

  it('refuses a staff inform by email with 409; a problem fix skips the customer and says why', async () => {
    const hal = await customerWithTerms('Hal Hunt', 'hal@example.com', noEmail);
    const item = await admin.client.post('/api/v1/items', {
      kind: 'complaint',
      subject: 'Engine stalls',
      personId: hal.personId,
      acknowledge: false,
    });
    const inform = await admin.client.post(`/api/v1/items/${item.body.id}/inform`, {
      how: 'email',
      summary: 'Fixed with a new pump.',
      send: true,
    });
    expect(inform.status).toBe(409);
    expect(inform.body.detail).toMatch(/^Hal does not want to be contacted by email/);

    const problem = await admin.client.post('/api/v1/problems', {
      title: 'Stalling engines',
      itemIds: [item.body.id],
    });
    expect(problem.status, JSON.stringify(problem.body)).toBe(201);
    const fixed = await admin.client.post(`/api/v1/problems/${problem.body.id}/fix`, {
      summary: 'New fuel pump.',
      message: 'Hello {{name}}, it is fixed.',
    });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect(fixed.body.informed).toEqual([]);
    expect(fixed.body.withoutEmail).toMatchObject([{ personId: hal.personId }]);
    expect(await outboxTo('hal@example.com')).toHaveLength(0);
    const blocked = await t.database.db
      .selectFrom('item_events')
      .select('data')
      .where('item_id', '=', item.body.id)
      .where('type', '=', 'customer_contact_blocked')
      .execute();
    expect(blocked).toHaveLength(1);
    expect(JSON.stringify(blocked[0]!.data)).toContain('Hal does not want to be contacted by email');
  });

  it('a reporter without terms (defaults) is acknowledged by email', async () => {
    const created = await admin.client.post('/api/v1/items', {
      kind: 'praise',
      subject: 'Great service',
      reporterEmail: 'walkin@example.com',
      acknowledge: true,
    });
    expect(created.status).toBe(201);
    expect(await outboxTo('walkin@example.com')).toHaveLength(1);
  });

  it('items written by one batch: each customer is matched and checked on their own terms', async () => {
    const ida = await customerWithTerms('Ida Isle', 'ida@example.com', noEmail);
    const jon = await customerWithTerms('Jon Jay', 'jon@example.com', noEmail);
    const kim = await customerWithTerms('Kim Kay', 'kim@example.com', withTerms({}));
    const lou = await customerWithTerms('Lou Low', 'lou@example.com', noEmail);
    const record = (extra: Record<string, unknown>) => ({
      workspaceId: admin.workspaceId,
      actor: { type: 'user' as const, id: admin.user.id, userId: admin.user.id },
      now: new Date(),
      input: createItemInput.parse({ kind: 'question', subject: 'Batch', acknowledge: true, ...extra }),
    });
    // One transaction, as the batcher writes concurrent creates: by id (in upper case), matched by
    // email, the same person by id and by email, a new reporter, an allowed customer, a refusing
    // customer matched by email only.
    const results = await t.database.db
      .transaction()
      .execute((tx) =>
        writeItemsWithOutput(tx, t.deps, [
          record({ personId: ida.personId.toUpperCase() }),
          record({ reporterEmail: 'JON@example.com' }),
          record({ personId: jon.personId }),
          record({ reporterEmail: 'newcomer@example.com', reporterName: 'New Comer' }),
          record({ reporterEmail: 'kim@example.com' }),
          record({ reporterEmail: 'lou@example.com' }),
        ]),
      );
    const items = results.map((result) => {
      if (!result.ok) throw result.error;
      return result.value;
    });
    expect(items.map((item) => item.personId)).toEqual([
      ida.personId,
      jon.personId,
      jon.personId,
      expect.any(String),
      kim.personId,
      lou.personId,
    ]);
    expect(items.map((item) => item.status)).toEqual([
      'new',
      'new',
      'new',
      'acknowledged',
      'acknowledged',
      'new',
    ]);
    expect(await outboxTo('ida@example.com')).toHaveLength(0);
    expect(await outboxTo('jon@example.com')).toHaveLength(0);
    expect(await outboxTo('newcomer@example.com')).toHaveLength(1);
    expect(await outboxTo('kim@example.com')).toHaveLength(1);
    expect(await outboxTo('lou@example.com')).toHaveLength(0);
  });
});
