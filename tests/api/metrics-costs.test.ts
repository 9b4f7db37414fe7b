import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Service cost — hand-computed. Amsterdam workspace; cost settings change on Monday 30 March, in
 * the middle of the period (which also crosses the switch to summer time, 29 March).
 *   V1 from 1 March:  60/hour; per contact phone 6, email 3, portal 0.2; estimates phone 10 min, email 5 min.
 *   V2 from 30 March: 90/hour; per contact phone 5, email 2 (portal: none); estimates phone 12 min, email 4 min.
 * An item costs (recorded minutes ?? estimate) / 60 × hourly + per contact, by its local creation day.
 */
let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let ws: string;

async function plant(fields: Record<string, unknown>) {
  await t.database.db
    .insertInto('items')
    .values({
      id: newId(),
      workspace_id: ws,
      kind: 'request',
      channel: 'email',
      subject: 'planted',
      reply_token: newId().replaceAll('-', ''),
      ...fields,
    } as never)
    .execute();
}

const v1 = {
  effectiveFrom: '2026-03-01',
  currency: 'eur',
  hourlyCost: 60,
  perContact: { phone: 6, email: 3, portal: 0.2 },
  handlingMinutes: { phone: 10, email: 5 },
};
const v2 = {
  effectiveFrom: '2026-03-30',
  currency: 'EUR',
  hourlyCost: 90,
  perContact: { phone: 5, email: 2 },
  handlingMinutes: { phone: 12, email: 4 },
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  ws = admin.workspaceId;
  await t.database.db
    .insertInto('business_hours')
    .values({ workspace_id: ws, time_zone: 'Europe/Amsterdam' })
    .execute();
  // Before any settings: C0 on 28 February costs nothing; C00 at 00:30 on 1 March local (still 28 February
  // in UTC) is priced with V1: 5/60 × 60 + 3 = 8.
  await plant({ created_at: '2026-02-28T12:00:00Z' });
  await plant({ created_at: '2026-02-28T23:30:00Z' });
  // Week of 23 March (V1):
  await plant({ created_at: '2026-03-24T10:00:00Z' }); // C1 email, estimate: 5/60 × 60 + 3 = 8
  await plant({ channel: 'phone', handling_minutes: 30, created_at: '2026-03-25T10:00:00Z' }); // C2: 30 + 6 = 36
  await plant({ channel: 'portal', created_at: '2026-03-26T10:00:00Z' }); // C3: no estimate, 0 + 0.2 = 0.2
  await plant({ created_at: '2026-03-29T21:30:00Z' }); // C4, 23:30 Sunday local: 8
  // Week of 30 March (V2):
  await plant({ channel: 'phone', created_at: '2026-03-29T22:30:00Z' }); // C5, 00:30 Monday: 12/60 × 90 + 5 = 23
  await plant({ handling_minutes: 20, created_at: '2026-04-01T10:00:00Z' }); // C6: 20/60 × 90 + 2 = 32
  await plant({ channel: 'portal', created_at: '2026-04-02T10:00:00Z' }); // C7: nothing for portal in V2: 0
});
afterAll(() => t.close());

const period = 'from=2026-03-23&to=2026-04-05&interval=week';
const get = async (name: string, query = period) => {
  const response = await admin.client.get(`/api/v1/metrics/${name}?${query}`);
  expect(response.status).toBe(200);
  return response.body;
};

describe('service cost', () => {
  it('has no data until cost settings exist ("set costs")', async () => {
    const body = await get('total_service_cost');
    expect(body.metric).toMatchObject({ unit: 'currency', better: 'down' });
    expect(body.series).toEqual([
      { start: '2026-03-23', value: null, numerator: null, denominator: 4 },
      { start: '2026-03-30', value: null, numerator: null, denominator: 3 },
    ]);
    expect((await get('cost_per_request')).total.value).toBeNull();
  });

  it('records versions of the settings (admins only, audited, validated)', async () => {
    const created = await admin.client.post('/api/v1/cost-settings', v1);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...v1, currency: 'EUR', createdBy: admin.user.id });
    expect((await admin.client.post('/api/v1/cost-settings', v2)).status).toBe(201);
    const audited = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('workspace_id', '=', ws)
      .where('entity', '=', 'cost_settings')
      .execute();
    expect(audited).toHaveLength(2);

    const list = await admin.client.get('/api/v1/cost-settings?limit=1');
    expect(list.status).toBe(200);
    expect(list.body.data.map((v: { effectiveFrom: string }) => v.effectiveFrom)).toEqual(['2026-03-30']);
    const next = await admin.client.get(`/api/v1/cost-settings?limit=1&after=${list.body.next}`);
    expect(next.body).toMatchObject({ data: [{ effectiveFrom: '2026-03-01', hourlyCost: 60 }], next: null });

    const bad = await admin.client.post('/api/v1/cost-settings', {
      ...v1,
      currency: 'euro',
      hourlyCost: -1,
      perContact: { fax: 1 },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['body.currency', 'body.hourlyCost']));
    expect(paths.some((path: string) => path.startsWith('body.perContact'))).toBe(true);
    expect(
      (await admin.client.post('/api/v1/cost-settings', { ...v1, effectiveFrom: '1 March' })).status,
    ).toBe(400);

    const agent = await signedInUser(t, 'agent', ws);
    expect((await agent.client.post('/api/v1/cost-settings', v2)).status).toBe(403);
    expect((await agent.client.get('/api/v1/cost-settings')).status).toBe(200);
  });

  it('prices each item with the version in force on its local creation day', async () => {
    const total = await get('total_service_cost');
    expect(total.series).toEqual([
      // 8 + 36 + 0.2 + 8 (all V1)
      { start: '2026-03-23', value: 52.2, numerator: 52.2, denominator: 4 },
      // 23 + 32 + 0 (all V2)
      { start: '2026-03-30', value: 55, numerator: 55, denominator: 3 },
    ]);
    expect(total.total).toEqual({ value: 107.2, numerator: 107.2, denominator: 7 });
    const perRequest = await get('cost_per_request');
    // 52.2 / 4 = 13.05; 55 / 3 = 18.33; 107.2 / 7 = 15.31.
    expect(perRequest.series.map((point: { value: number }) => point.value)).toEqual([13.05, 18.33]);
    expect(perRequest.total).toEqual({ value: 15.31, numerator: 107.2, denominator: 7 });
  });

  it('items created before the first version cost nothing', async () => {
    const body = await get('cost_per_request', 'from=2026-02-23&to=2026-03-01&interval=week');
    // C0 costs 0, C00 (1 March local) costs 8: 8 / 2 = 4.
    expect(body.series).toEqual([{ start: '2026-02-23', value: 4, numerator: 8, denominator: 2 }]);
  });

  it('narrows by the filter, and an empty period has a zero total but no cost per request', async () => {
    expect((await get('total_service_cost', `${period}&channel=phone`)).total.value).toBe(59); // 36 + 23
    const empty = 'from=2025-06-01&to=2025-06-01&interval=day';
    expect((await get('total_service_cost', empty)).total).toEqual({
      value: 0,
      numerator: 0,
      denominator: 0,
    });
    expect((await get('cost_per_request', empty)).total.value).toBeNull();
  });

  it('a second version from the same day replaces the first from then on', async () => {
    await admin.client.post('/api/v1/cost-settings', {
      ...v2,
      perContact: { phone: 5, email: 2, portal: 1 },
    });
    // C7 (portal, 2 April) now costs 1: week of 30 March 56.
    expect((await get('total_service_cost')).series[1].value).toBe(56);
  });

  it('keeps workspaces apart: another workspace sees none of these settings or items', async () => {
    const other = await signedInUser(t, 'admin');
    expect((await other.client.get('/api/v1/cost-settings')).body).toEqual({ data: [], next: null });
    const body = await other.client.get(`/api/v1/metrics/total_service_cost?${period}`);
    expect(body.body.total).toEqual({ value: null, numerator: null, denominator: 0 });
  });
});
