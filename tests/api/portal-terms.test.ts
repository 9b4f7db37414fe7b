import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTerms, type Terms } from '../../src/shared/portal.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { portalBase, portalCustomer, portalCustomerWithRecord } from './helpers/portal.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

const noMarketing: Terms = {
  ...defaultTerms,
  purposes: { service: true, product_news: true, marketing: false, research: true },
  frequency: { product_news: 'monthly', marketing: 'any', research: 'yearly' },
};

const termsRows = (personId: string) =>
  t.database.db
    .selectFrom('person_terms')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('version')
    .execute();

describe('my terms (customer side)', () => {
  it('reads the defaults as version 0 until terms are set', async () => {
    const { client } = await portalCustomerWithRecord(
      t,
      admin.client,
      admin.workspaceId,
      'Ana Silva',
      'ana@example.com',
    );
    const read = await client.get(`${portalBase}/me/terms`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ version: 0, terms: defaultTerms, setBy: null, setAt: null });
    const history = await client.get(`${portalBase}/me/terms/history`);
    expect(history.body).toEqual({ data: [] });
  });

  it('versions every change (v1, v2), audited as the customer, with the history', async () => {
    const { client, personId } = await portalCustomerWithRecord(
      t,
      admin.client,
      admin.workspaceId,
      'Bo Berg',
      'bo@example.com',
    );
    const v1 = await client.put(`${portalBase}/me/terms`, { terms: noMarketing, version: 0 });
    expect(v1.status, JSON.stringify(v1.body)).toBe(200);
    expect(v1.body).toMatchObject({ version: 1, terms: noMarketing, setBy: 'customer' });
    const v2Terms = { ...noMarketing, shareWithThirdParties: true };
    const v2 = await client.put(`${portalBase}/me/terms`, { terms: v2Terms, version: 1 });
    expect(v2.body).toMatchObject({ version: 2, terms: v2Terms });
    expect((await client.get(`${portalBase}/me/terms`)).body).toMatchObject({ version: 2, terms: v2Terms });

    const rows = await termsRows(personId);
    expect(rows.map((row) => [row.version, row.set_by])).toEqual([
      [1, 'customer'],
      [2, 'customer'],
    ]);
    const history = await client.get(`${portalBase}/me/terms/history`);
    expect(history.body.data.map((entry: { version: number }) => entry.version)).toEqual([2, 1]);
    expect(history.body.data[1]).toMatchObject({ terms: noMarketing, setBy: 'customer' });
    expect(Date.parse(history.body.data[0].setAt)).not.toBeNaN();

    const audits = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'person.terms_set')
      .where('entity_id', '=', personId)
      .execute();
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({ actor_type: 'customer', actor_id: personId });
  });

  it('refuses a stale version with 409 and writes nothing', async () => {
    const { client, personId } = await portalCustomerWithRecord(
      t,
      admin.client,
      admin.workspaceId,
      'Cy Cole',
      'cy@example.com',
    );
    expect((await client.put(`${portalBase}/me/terms`, { terms: noMarketing, version: 0 })).status).toBe(200);
    const stale = await client.put(`${portalBase}/me/terms`, { terms: defaultTerms, version: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toMatch(/changed since you read them.*version 1/);
    expect(await termsRows(personId)).toHaveLength(1);
  });

  it('numbers concurrent saves without gaps or duplicates', async () => {
    const { client, personId } = await portalCustomerWithRecord(
      t,
      admin.client,
      admin.workspaceId,
      'Dee Dunn',
      'dee@example.com',
    );
    const results = await Promise.all(
      [1, 2, 3].map(() => client.put(`${portalBase}/me/terms`, { terms: noMarketing })),
    );
    expect(results.map((result) => result.status)).toEqual([200, 200, 200]);
    expect((await termsRows(personId)).map((row) => row.version)).toEqual([1, 2, 3]);
  });

  it('refuses a bad body with 400 naming the field', async () => {
    const { client } = await portalCustomerWithRecord(
      t,
      admin.client,
      admin.workspaceId,
      'Eve Ek',
      'eve@example.com',
    );
    const missing = await client.put(`${portalBase}/me/terms`, {
      terms: { ...noMarketing, channels: { email: true, phone: true, sms: 'yes', post: true } },
    });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.errors)).toContain('body.terms.channels.sms');
    const badFrequency = await client.put(`${portalBase}/me/terms`, {
      terms: { ...noMarketing, frequency: { ...noMarketing.frequency, marketing: 'daily' } },
    });
    expect(badFrequency.status).toBe(400);
    expect(JSON.stringify(badFrequency.body.errors)).toContain('body.terms.frequency.marketing');
    const extra = await client.put(`${portalBase}/me/terms`, { terms: noMarketing, sneaky: true });
    expect(extra.status).toBe(400);
  });

  it('creates the person record of a customer who has none when they set terms', async () => {
    const { client, session } = await portalCustomer(t, admin.workspaceId, 'newcomer@example.com');
    expect(session.personId).toBeNull();
    const saved = await client.put(`${portalBase}/me/terms`, { terms: noMarketing });
    expect(saved.body.version).toBe(1);
    const person = await t.database.db
      .selectFrom('people')
      .select(['id', 'stage'])
      .where('workspace_id', '=', admin.workspaceId)
      .where(sql<boolean>`email_keys @> array['newcomer@example.com']::text[]`)
      .executeTakeFirstOrThrow();
    expect(person.stage).toBe('prospect');
    expect(await termsRows(person.id)).toHaveLength(1);
  });

  it('offers the terms as a machine-readable agreement whose digest follows the terms', async () => {
    const { client, personId } = await portalCustomerWithRecord(
      t,
      admin.client,
      admin.workspaceId,
      'Fay Fox',
      'fay@example.com',
    );
    const before = await client.get(`${portalBase}/me/terms/agreement`);
    expect(before.status).toBe(200);
    expect(before.headers['content-disposition']).toBe('attachment; filename="my-terms.json"');
    expect(before.body).toMatchObject({ version: 0, effectiveFrom: null, history: [] });

    await client.put(`${portalBase}/me/terms`, { terms: noMarketing });
    const agreement = (await client.get(`${portalBase}/me/terms/agreement`)).body;
    expect(agreement).toMatchObject({
      '@context': expect.any(String),
      type: 'PersonalTermsAgreement',
      firstParty: { role: 'individual', id: personId, email: 'fay@example.com' },
      secondParty: {
        role: 'organization',
        name: expect.any(String),
        portalUrl: expect.stringMatching(/\/portal\//),
      },
      version: 1,
      setBy: 'customer',
    });
    expect(agreement.effectiveFrom).toEqual(expect.any(String));
    expect(agreement.terms.purposes).toContainEqual({
      purpose: 'marketing',
      label: 'Marketing and offers',
      permission: 'deny',
      maxFrequency: 'any',
    });
    expect(agreement.terms.purposes).toContainEqual(
      expect.objectContaining({ purpose: 'product_news', permission: 'allow', maxFrequency: 'monthly' }),
    );
    expect(agreement.terms.channels).toContainEqual({ channel: 'sms', label: 'SMS', permission: 'deny' });
    expect(agreement.terms.sharing).toEqual({ thirdParties: 'deny' });
    expect(agreement.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(agreement.sha256).not.toBe(before.body.sha256);
    expect(agreement.history).toEqual([
      { version: 1, setBy: 'customer', effectiveFrom: agreement.effectiveFrom, sha256: agreement.sha256 },
    ]);

    await client.put(`${portalBase}/me/terms`, { terms: { ...noMarketing, shareWithThirdParties: true } });
    const changed = (await client.get(`${portalBase}/me/terms/agreement`)).body;
    expect(changed.sha256).not.toBe(agreement.sha256);
    expect(changed.terms.sharing).toEqual({ thirdParties: 'allow' });
    // The same terms give the same digest: version 3 back to version 1's terms.
    await client.put(`${portalBase}/me/terms`, { terms: noMarketing });
    expect((await client.get(`${portalBase}/me/terms/agreement`)).body.sha256).toBe(agreement.sha256);
  });
});

describe('isolation of terms', () => {
  it('a customer only ever reads and changes their own terms, in their own workspace', async () => {
    const a = await portalCustomerWithRecord(
      t,
      admin.client,
      admin.workspaceId,
      'Gil Green',
      'gil@example.com',
    );
    const b = await portalCustomerWithRecord(
      t,
      admin.client,
      admin.workspaceId,
      'Hal Hunt',
      'hal@example.com',
    );
    await a.client.put(`${portalBase}/me/terms`, { terms: noMarketing });
    expect((await b.client.get(`${portalBase}/me/terms`)).body.version).toBe(0);
    expect((await b.client.get(`${portalBase}/me/terms/history`)).body.data).toEqual([]);
    expect((await b.client.get(`${portalBase}/me/terms/agreement`)).body.firstParty.id).toBe(b.personId);
    await b.client.put(`${portalBase}/me/terms`, { terms: defaultTerms });
    expect((await a.client.get(`${portalBase}/me/terms`)).body).toMatchObject({
      version: 1,
      terms: noMarketing,
    });

    // The same email in another workspace is another person with their own terms.
    const other = await signedInUser(t, 'admin');
    const elsewhere = await portalCustomer(t, other.workspaceId, 'gil@example.com');
    expect((await elsewhere.client.get(`${portalBase}/me/terms`)).body.version).toBe(0);
    expect((await other.client.get(`/api/v1/people/${a.personId}/terms`)).status).toBe(404);
  });

  it('portal routes refuse staff credentials and anonymous callers', async () => {
    expect((await admin.client.get(`${portalBase}/me/terms`)).status).toBe(401);
    expect((await t.client().get(`${portalBase}/me/terms/agreement`)).status).toBe(401);
    expect((await t.client().put(`${portalBase}/me/terms`, { terms: defaultTerms })).status).toBe(401);
  });
});
