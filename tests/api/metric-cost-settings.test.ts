// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are checked field by field in tests.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { itemChannels } from '../../src/shared/listening.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The cost settings page's API: which version is in force, deleting a version that is not in
 * force yet, and the preview of a month's cost. The clock is 15 April 2026, 23:30 UTC — already
 * 16 April in the workspace's zone (Europe/Amsterdam, UTC+2).
 */
let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let ws: string;
const now = new Date('2026-04-15T23:30:00Z');

async function plant(fields: Record<string, unknown>, workspaceId = ws) {
  const id = newId();
  await t.database.db
    .insertInto('items')
    .values({
      id,
      workspace_id: workspaceId,
      kind: 'request',
      channel: 'email',
      subject: 'planted',
      reply_token: newId().replaceAll('-', ''),
      ...fields,
    } as never)
    .execute();
  return id;
}

const settings = (effectiveFrom: string, hourlyCost = 60) => ({
  effectiveFrom,
  currency: 'EUR',
  hourlyCost,
  perContact: { phone: 6, email: 3, portal: 0.1 },
  handlingMinutes: { phone: 12, email: 8 },
});

beforeAll(async () => {
  t = await createTestApp();
  t.deps.clock = () => now;
  admin = await signedInUser(t, 'admin');
  ws = admin.workspaceId;
  await t.database.db
    .insertInto('business_hours')
    .values({ workspace_id: ws, time_zone: 'Europe/Amsterdam' })
    .execute();
});
afterAll(() => t.close());

const add = async (body: unknown, client = admin.client) => {
  const response = await client.post('/api/v1/cost-settings', body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
};

describe('versions and their status', () => {
  it('marks the version in force today (workspace time zone), the past, the superseded and the scheduled', async () => {
    const january = await add(settings('2026-01-01', 40));
    const marchFirst = await add(settings('2026-03-01', 45));
    const marchAgain = await add(settings('2026-03-01', 50));
    // 16 April is today in Amsterdam (15 April in UTC): in force, not scheduled.
    const today = await add(settings('2026-04-16', 55));
    expect(today.status).toBe('current');
    const may = await add(settings('2026-05-01', 70));
    expect(may.status).toBe('scheduled');
    const list = (await admin.client.get('/api/v1/cost-settings')).body.data;
    expect(list.map((v: any) => [v.id, v.status])).toEqual([
      [may.id, 'scheduled'],
      [today.id, 'current'],
      [marchAgain.id, 'past'],
      [marchFirst.id, 'superseded'],
      [january.id, 'past'],
    ]);
  });

  it('deletes a scheduled version only, audited; one in force or past is a 409 and stays', async () => {
    const list = (await admin.client.get('/api/v1/cost-settings')).body.data;
    const [scheduled, current, past] = list;
    const agent = await signedInUser(t, 'agent', ws);
    expect((await agent.client.delete(`/api/v1/cost-settings/${scheduled.id}`)).status).toBe(403);
    const stranger = await signedInUser(t, 'admin');
    expect((await stranger.client.delete(`/api/v1/cost-settings/${scheduled.id}`)).status).toBe(404);
    expect((await admin.client.delete('/api/v1/cost-settings/not-a-uuid')).body.errors[0].path).toBe(
      'params.id',
    );

    for (const version of [current, past]) {
      const refused = await admin.client.delete(`/api/v1/cost-settings/${version.id}`);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain(`in force from ${version.effectiveFrom}`);
    }
    expect((await admin.client.delete(`/api/v1/cost-settings/${scheduled.id}`)).status).toBe(204);
    expect((await admin.client.delete(`/api/v1/cost-settings/${scheduled.id}`)).status).toBe(404);
    const after = (await admin.client.get('/api/v1/cost-settings')).body.data;
    expect(after.map((v: any) => v.id)).toEqual(list.slice(1).map((v: any) => v.id));
    const audited = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'before'])
      .where('entity_id', '=', scheduled.id)
      .orderBy('id')
      .execute();
    expect(audited.map((row) => row.action)).toEqual(['cost_settings.created', 'cost_settings.deleted']);
    expect(audited[1]!.before).toMatchObject({ effectiveFrom: '2026-05-01', hourlyCost: 70 });
  });
});

describe('preview of a month', () => {
  const preview = (body: unknown, client = admin.client) =>
    client.post('/api/v1/cost-settings/preview', body);

  it("prices last month's items by channel with the draft settings, as the metrics would", async () => {
    // March 2026 in Amsterdam (UTC+1, then UTC+2 from the 29th):
    await plant({ created_at: '2026-03-02T10:00:00Z' }); // email, estimate 8 min
    await plant({ created_at: '2026-03-31T21:59:00Z' }); // email, 23:59 on 31 March local
    await plant({ created_at: '2026-02-28T23:30:00Z' }); // email, 00:30 on 1 March local
    await plant({ channel: 'phone', handling_minutes: 30, created_at: '2026-03-10T10:00:00Z' });
    await plant({ channel: 'phone', created_at: '2026-03-11T10:00:00Z' }); // estimate 12 min
    await plant({ channel: 'chat', handling_minutes: 7, created_at: '2026-03-12T10:00:00Z' }); // no prices
    // Not March: 1 April 00:30 local; February; merged into another; another workspace.
    await plant({ created_at: '2026-03-31T22:30:00Z' });
    await plant({ created_at: '2026-02-27T10:00:00Z' });
    const survivor = await plant({ created_at: '2026-01-05T10:00:00Z' });
    await plant({ created_at: '2026-03-05T10:00:00Z', merged_into_id: survivor });
    const other = await signedInUser(t, 'admin');
    await plant({ created_at: '2026-03-05T10:00:00Z' }, other.workspaceId);

    const draft = {
      effectiveFrom: '2026-04-16',
      currency: 'EUR',
      hourlyCost: 45,
      perContact: { phone: 6, email: 3, portal: 0.1 },
      handlingMinutes: { phone: 12, email: 8 },
    };
    const response = await preview(draft);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    // email: 3 items × 8 min = 24 min → 24/60 × 45 + 3 × 3 = 18 + 9 = 27
    // phone: 30 + 12 = 42 min → 42/60 × 45 + 2 × 6 = 31.5 + 12 = 43.5
    // chat: 7 min recorded → 7/60 × 45 = 5.25, no cost per contact
    expect(response.body).toEqual({
      month: '2026-03',
      from: '2026-03-01',
      to: '2026-03-31',
      currency: 'EUR',
      items: 6,
      cost: 75.75,
      costPerRequest: 12.63, // 75.75 / 6 = 12.625
      channels: [
        { channel: 'email', items: 3, recordedItems: 0, handlingMinutes: 24, cost: 27 },
        { channel: 'phone', items: 2, recordedItems: 1, handlingMinutes: 42, cost: 43.5 },
        { channel: 'chat', items: 1, recordedItems: 1, handlingMinutes: 7, cost: 5.25 },
      ],
    });
    // Nothing was saved.
    expect((await other.client.get('/api/v1/cost-settings')).body.data).toEqual([]);

    // The preview equals the metric once the same settings price that month.
    await add({ ...draft, effectiveFrom: '2026-03-01' }, other.client);
    const own = await signedInUser(t, 'admin');
    await t.database.db
      .insertInto('business_hours')
      .values({ workspace_id: own.workspaceId, time_zone: 'Europe/Amsterdam' })
      .execute();
    for (const fields of [
      { created_at: '2026-03-02T10:00:00Z' },
      { channel: 'phone', handling_minutes: 30, created_at: '2026-03-10T10:00:00Z' },
      { channel: 'chat', handling_minutes: 7, created_at: '2026-03-12T10:00:00Z' },
    ]) {
      await plant(fields, own.workspaceId);
    }
    const previewed = (await preview(draft, own.client)).body;
    await add({ ...draft, effectiveFrom: '2026-03-01' }, own.client);
    const metric = await own.client.get(
      '/api/v1/metrics/total_service_cost?from=2026-03-01&to=2026-03-31&interval=month',
    );
    expect(previewed.cost).toBe(42.75); // 8/60 × 45 + 3 = 9; 30/60 × 45 + 6 = 28.5; 7/60 × 45 = 5.25
    expect(metric.body.total.value).toBe(previewed.cost);
  });

  it('prices a month asked for, and a month without items costs 0 with no cost per request', async () => {
    const body = (await preview({ ...settings('2026-04-16'), month: '2025-07' })).body;
    expect(body).toEqual({
      month: '2025-07',
      from: '2025-07-01',
      to: '2025-07-31',
      currency: 'EUR',
      items: 0,
      cost: 0,
      costPerRequest: null,
      channels: [],
    });
  });

  it('validates the draft with the shared schema (400 naming each field) and is for admins', async () => {
    const bad = await preview({
      ...settings('2026-04-16'),
      hourlyCost: -1,
      currency: 'euro',
      month: '2026-13',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path).sort()).toEqual([
      'body.currency',
      'body.hourlyCost',
      'body.month',
    ]);
    const agent = await signedInUser(t, 'agent', ws);
    expect((await preview(settings('2026-04-16'), agent.client)).status).toBe(403);
  });
});

describe('the preview and the metric agree', () => {
  const cents = fc.integer({ min: 0, max: 20_000 }).map((n) => n / 100);
  const perChannel = <T>(value: fc.Arbitrary<T>) =>
    fc.dictionary(fc.constantFrom(...itemChannels), value, { maxKeys: 4 });
  const plannedItem = fc.record({
    channel: fc.constantFrom(...itemChannels),
    minutes: fc.option(fc.integer({ min: 0, max: 600 }), { nil: null }),
    // Seconds into March 2026 (Amsterdam: 1 March 00:00 is 28 February 23:00 UTC), a few just outside.
    second: fc.integer({ min: -7_200, max: 31 * 86_400 + 7_200 }),
  });

  it('for random items and settings: the preview is what the metric says once the settings are saved', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(plannedItem, { maxLength: 12 }),
        cents,
        perChannel(cents),
        perChannel(fc.integer({ min: 0, max: 120 })),
        async (planned, hourlyCost, perContact, handlingMinutes) => {
          const owner = await signedInUser(t, 'admin');
          await t.database.db
            .insertInto('business_hours')
            .values({ workspace_id: owner.workspaceId, time_zone: 'Europe/Amsterdam' })
            .execute();
          const marchStart = Date.parse('2026-02-28T23:00:00Z');
          for (const item of planned) {
            await plant(
              {
                channel: item.channel,
                handling_minutes: item.minutes,
                created_at: new Date(marchStart + item.second * 1000).toISOString(),
              },
              owner.workspaceId,
            );
          }
          const draft = {
            effectiveFrom: '2026-03-01',
            currency: 'EUR',
            hourlyCost,
            perContact,
            handlingMinutes,
          };
          const preview = await owner.client.post('/api/v1/cost-settings/preview', draft);
          expect(preview.status, JSON.stringify(preview.body)).toBe(200);
          expect((await owner.client.post('/api/v1/cost-settings', draft)).status).toBe(201);
          const metric = await owner.client.get(
            '/api/v1/metrics/total_service_cost?from=2026-03-01&to=2026-03-31&interval=month',
          );
          expect(metric.body.total.denominator).toBe(preview.body.items);
          // Both round to the cent; they may differ by one at an exact half cent.
          expect(Math.abs(metric.body.total.value - preview.body.cost)).toBeLessThanOrEqual(0.01 + 1e-9);
        },
      ),
      { numRuns: 15 },
    );
  });
});
