import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Backlog snapshots — hand-computed. Amsterdam workspace. A bucket's snapshot is taken at its end:
 * the week of 23 March ends at local midnight of Monday 30 March = 2026-03-29T22:00Z (summer time
 * has begun), the week of 30 March at 2026-04-05T22:00Z.
 */
let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let ws: string;

async function plant(fields: Record<string, unknown>) {
  const id = newId();
  await t.database.db
    .insertInto('items')
    .values({
      id,
      workspace_id: ws,
      kind: 'complaint',
      channel: 'email',
      subject: 'planted',
      reply_token: newId().replaceAll('-', ''),
      ...fields,
    } as never)
    .execute();
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  ws = admin.workspaceId;
  const owner = admin.user.id;
  await t.database.db
    .insertInto('business_hours')
    .values({ workspace_id: ws, time_zone: 'Europe/Amsterdam' })
    .execute();
  // B1: open, unowned, created 5 March (24.9 days old at the first end, 31.9 at the second).
  await plant({ created_at: '2026-03-05T00:00:00Z' });
  // B2: open, owned, by phone, created 20 February (over 30 days at both ends).
  await plant({ created_at: '2026-02-20T00:00:00Z', owner_id: owner, channel: 'phone' });
  // B3: created 25 March, resolved 1 April: open at the first end only.
  await plant({ created_at: '2026-03-25T10:00:00Z', owner_id: owner, resolved_at: '2026-04-01T10:00:00Z' });
  // B4: created 00:30 on Monday 30 March local (22:30Z, after the first end: it would fall before an end
  // computed with the winter offset, 23:00Z); unowned; first response breached on 1 April.
  await plant({ created_at: '2026-03-29T22:30:00Z', first_response_breached_at: '2026-04-01T10:00:00Z' });
  // B5: created 26 March, unowned, resolution breached 28 March, closed 00:30 on 30 March local (after the
  // first end): open and breached at the first end, gone at the second.
  await plant({
    created_at: '2026-03-26T10:00:00Z',
    resolution_breached_at: '2026-03-28T10:00:00Z',
    closed_at: '2026-03-29T22:30:00Z',
  });
  // B6: closed before the period: never in the backlog.
  await plant({ created_at: '2026-03-01T00:00:00Z', closed_at: '2026-03-20T00:00:00Z' });
  // B7: reopened (its resolution was cleared), owned, created 16 March; breached on 3 April only.
  await plant({
    created_at: '2026-03-16T00:00:00Z',
    owner_id: owner,
    status: 'reopened',
    reopened_count: 1,
    first_response_breached_at: '2026-04-03T00:00:00Z',
  });
  // B8: a merged duplicate never counts; B9: created after the period.
  const survivor = await plant({ created_at: '2026-03-01T00:00:00Z', closed_at: '2026-03-02T00:00:00Z' });
  await plant({ created_at: '2026-03-01T00:00:00Z', merged_into_id: survivor });
  await plant({ created_at: '2026-04-06T10:00:00Z' });
});
afterAll(() => t.close());

const period = 'from=2026-03-23&to=2026-04-05&interval=week';
const get = async (name: string, query = period) => {
  const response = await admin.client.get(`/api/v1/metrics/${name}?${query}`);
  expect(response.status).toBe(200);
  return response.body;
};
const values = (body: { series: { value: number | null }[] }) => body.series.map((point) => point.value);

describe('backlog at the end of each week, by hand', () => {
  it('open: B1 B2 B3 B5 B7 = 5, then B1 B2 B4 B7 = 4; the total is the last snapshot', async () => {
    const body = await get('backlog_open');
    expect(body.metric).toMatchObject({ unit: 'count', better: 'down' });
    expect(body.series).toEqual([
      { start: '2026-03-23', value: 5, numerator: 5, denominator: null },
      { start: '2026-03-30', value: 4, numerator: 4, denominator: null },
    ]);
    expect(body.total).toEqual({ value: 4, numerator: 4, denominator: null });
  });

  it('unowned: B1 B5, then B1 B4', async () => {
    expect(values(await get('backlog_unowned'))).toEqual([2, 2]);
  });

  it('breached by then: B5, then B4 and B7', async () => {
    expect(values(await get('backlog_breached'))).toEqual([1, 2]);
  });

  it('by age: over 7 days B1 B2 B7 both times; over 30 days B2, then B2 and B1 (31.9 days)', async () => {
    expect(values(await get('backlog_age_over_7_days'))).toEqual([3, 3]);
    expect(values(await get('backlog_age_over_30_days'))).toEqual([1, 2]);
  });

  it('narrows by the filter: only B2 came by phone', async () => {
    expect(values(await get('backlog_open', `${period}&channel=phone`))).toEqual([1, 1]);
  });

  it('cuts the last bucket at the end of the period: Wednesday 25 March, midnight → B1 B2 B3 B7', async () => {
    const body = await get('backlog_open', 'from=2026-03-23&to=2026-03-25&interval=week');
    expect(body.series).toEqual([{ start: '2026-03-23', value: 4, numerator: 4, denominator: null }]);
    expect(body.total.value).toBe(4);
  });

  it('takes the current bucket now and has no data for buckets to come', async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const body = await get('backlog_open', `from=${day(-2)}&to=${day(14)}&interval=week`);
    // Open today: B1, B2, B4, B7 and B9.
    expect(values(body)[0]).toBe(5);
    expect(values(body).at(-1)).toBeNull();
    expect(body.total.value).toBe(5);
  });

  it('is zero before anything was created', async () => {
    const body = await get('backlog_open', 'from=2025-01-01&to=2025-01-02&interval=day');
    expect(values(body)).toEqual([0, 0]);
    expect(body.total.value).toBe(0);
  });
});
