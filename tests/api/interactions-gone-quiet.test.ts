import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let outsider: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  outsider = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const daysAgo = (days: number) => minutesAgo(days * 24 * 60);

async function person(client: Client, body: Record<string, unknown> = {}) {
  const response = await client.post('/api/v1/people', { givenName: 'Ada', familyName: 'Lovelace', ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string };
}

async function log(client: Client, body: Record<string, unknown>) {
  const response = await client.post('/api/v1/interactions', { type: 'call', summary: 'Caught up', ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

describe('gone quiet', () => {
  it('lists people not contacted within N days, oldest contact first, with the boundaries', async () => {
    const w = await signedInUser(t, 'manager');
    const owner = w.user.id;
    const at = async (name: string, lastContactedAt: string | null, extra: Record<string, unknown> = {}) => {
      const p = await person(w.client, { givenName: name, lastContactedAt, ...extra });
      return p.id;
    };
    const longAgo = await at('Long', daysAgo(90), { ownerId: owner, stage: 'customer' });
    const justOver = await at('JustOver', minutesAgo(30 * 24 * 60 + 5));
    await at('JustUnder', minutesAgo(30 * 24 * 60 - 5));
    await at('Recent', daysAgo(2));
    const never = await at('Never', null);
    const deleted = await at('Deleted', daysAgo(60));
    await w.client.delete(`/api/v1/people/${deleted}`);

    const ids = async (query: string) => {
      const response = await w.client.get(`/api/v1/people/gone-quiet?${query}`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body.data.map((p: { id: string }) => p.id);
    };
    expect(await ids('days=30')).toEqual([longAgo, justOver]);
    expect(await ids('')).toEqual([longAgo, justOver]);
    expect(await ids('days=30&includeNever=true')).toEqual([never, longAgo, justOver]);
    expect(await ids('days=60')).toEqual([longAgo]);
    expect(await ids(`days=30&ownerId=${owner}`)).toEqual([longAgo]);
    expect(await ids('days=30&stage=prospect&includeNever=1')).toEqual([never, justOver]);

    const first = await w.client.get('/api/v1/people/gone-quiet?days=30&includeNever=true&limit=1');
    expect(first.body.data[0]).toMatchObject({ id: never, lastContactedAt: null, daysSinceContact: null });
    const second = await w.client.get(
      `/api/v1/people/gone-quiet?days=30&includeNever=true&limit=1&after=${first.body.next}`,
    );
    expect(second.body.data[0]).toMatchObject({
      id: longAgo,
      daysSinceContact: 90,
      stage: 'customer',
      owner: { id: owner, name: w.user.name },
    });
    const third = await w.client.get(
      `/api/v1/people/gone-quiet?days=30&includeNever=true&limit=1&after=${second.body.next}`,
    );
    expect(third.body.data.map((p: { id: string }) => p.id)).toEqual([justOver]);
    expect(third.body.next).toBeNull();

    // A call today takes them off the list; another workspace sees none of them.
    await log(w.client, { personIds: [justOver] });
    expect(await ids('days=30')).toEqual([longAgo]);
    const others = await outsider.client.get('/api/v1/people/gone-quiet?days=1&includeNever=true&limit=200');
    expect(others.body.data.map((p: { id: string }) => p.id)).not.toContain(longAgo);
    expect((await w.client.get('/api/v1/people/gone-quiet?days=0')).status).toBe(400);
    expect((await w.client.get('/api/v1/people/gone-quiet?includeNever=maybe')).status).toBe(400);
  });
});
