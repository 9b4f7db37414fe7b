// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are checked field by field in tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { portalBase, portalCustomer, portalCustomerWithRecord } from './helpers/portal.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let ana: Awaited<ReturnType<typeof portalCustomerWithRecord>>;

const activityOf = (id: string, query = '') => `/api/v1/people/${id}/portal-activity${query}`;

beforeAll(async () => {
  t = await createTestApp({ PORTAL_LINKS_PER_IP: '1000', PORTAL_LINKS_PER_EMAIL: '100' });
  admin = await signedInUser(t, 'admin');
  ana = await portalCustomerWithRecord(t, admin.client, admin.workspaceId, 'Ana Lima', 'ana@example.com');
  const version = (await ana.client.get(`${portalBase}/me`)).body.person.version;
  const first = await ana.client.patch(`${portalBase}/me`, { version, phones: [{ value: '415 555 0123' }] });
  expect(first.status, JSON.stringify(first.body)).toBe(200);
  const second = await ana.client.patch(`${portalBase}/me`, { pronouns: 'she/her', jobTitle: 'Pilot' });
  expect(second.status).toBe(200);
});
afterAll(() => t.close());

describe('GET /api/v1/people/:id/portal-activity', () => {
  it('shows staff the last sign-in, what the customer did and which fields they changed', async () => {
    const response = await admin.client.get(activityOf(ana.personId));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const body = response.body;
    expect(body.sessions).toBe(1);
    expect(Date.parse(body.lastSignInAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(body.activity.map((row: any) => row.action)).toEqual([
      'person.updated',
      'person.updated',
      'portal.signed_in',
    ]);
    expect(body.activity[0].summary).toBe('Corrected their pronouns, job title');
    expect(body.activity[1].summary).toBe('Corrected their phones');
    expect(body.activity[2]).toMatchObject({ entity: 'person', entityId: ana.personId });
    const times = body.activity.map((row: any) => Date.parse(row.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(body.changedFields.map((change: any) => change.field).sort()).toEqual([
      'jobTitle',
      'phones',
      'pronouns',
    ]);
    expect(body.next).toBeNull();
  });

  it('records nothing when the customer saves their details unchanged', async () => {
    const version = (await ana.client.get(`${portalBase}/me`)).body.person.version;
    const same = await ana.client.patch(`${portalBase}/me`, { version, pronouns: 'she/her' });
    expect(same.status).toBe(200);
    expect(same.body.version).toBe(version);
    const body = (await admin.client.get(activityOf(ana.personId))).body;
    expect(body.activity).toHaveLength(3);
  });

  it('does not mark changes made by staff as changed by the customer', async () => {
    const person = (await admin.client.get(`/api/v1/people/${ana.personId}`)).body;
    await admin.client.patch(`/api/v1/people/${ana.personId}`, { version: person.version, nickname: 'Nana' });
    const body = (await admin.client.get(activityOf(ana.personId))).body;
    expect(body.changedFields.map((change: any) => change.field)).not.toContain('nickname');
    expect(body.activity).toHaveLength(3);
  });

  it('pages the activity newest first with a keyset cursor, and refuses a bad cursor', async () => {
    const first = await admin.client.get(activityOf(ana.personId, '?limit=2'));
    expect(first.body.activity).toHaveLength(2);
    expect(first.body.next).toBe(first.body.activity[1].id);
    const second = await admin.client.get(activityOf(ana.personId, `?limit=2&after=${first.body.next}`));
    expect(second.body.activity.map((row: any) => row.action)).toEqual(['portal.signed_in']);
    expect(second.body.next).toBeNull();
    const bad = await admin.client.get(activityOf(ana.personId, '?after=nonsense'));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('query.after');
    expect((await admin.client.get(activityOf(ana.personId, '?limit=0'))).status).toBe(400);
  });

  it('shows "never used" data for a person who never signed in', async () => {
    const created = await admin.client.post('/api/v1/people', { givenName: 'Quiet' });
    const body = (await admin.client.get(activityOf(created.body.id))).body;
    expect(body).toEqual({ lastSignInAt: null, sessions: 0, activity: [], next: null, changedFields: [] });
  });

  it('answers 404 to staff of another workspace and for an unknown person', async () => {
    const stranger = await signedInUser(t, 'admin');
    const response = await stranger.client.get(activityOf(ana.personId));
    expect(response.status).toBe(404);
    expect((await admin.client.get(activityOf(newId()))).status).toBe(404);
  });

  it('lets every staff role read it, and refuses portal sessions and anonymous callers', async () => {
    const executive = await signedInUser(t, 'executive', admin.workspaceId);
    expect((await executive.client.get(activityOf(ana.personId))).status).toBe(200);
    expect((await t.client().get(activityOf(ana.personId))).status).toBe(401);
    const customer = await portalCustomer(t, admin.workspaceId, 'ana@example.com');
    expect((await customer.client.get(activityOf(ana.personId))).status).toBe(401);
  });
});
