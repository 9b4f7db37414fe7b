import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Response and resolution times, SLA compliance — hand-computed. The workspace is in Amsterdam
 * (UTC+1 until 29 March 2026 02:00, then UTC+2) and the period, two weeks, crosses that switch.
 * Percentiles are interpolated (percentile_cont): p over n sorted values sits at position p × (n − 1).
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
      kind: 'complaint',
      channel: 'email',
      subject: 'planted',
      reply_token: newId().replaceAll('-', ''),
      created_at: '2026-03-01T00:00:00Z',
      ...fields,
    } as never)
    .execute();
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  ws = admin.workspaceId;
  await t.database.db
    .insertInto('business_hours')
    .values({ workspace_id: ws, time_zone: 'Europe/Amsterdam' })
    .execute();
  const survivor = newId();
  await plant({ id: survivor });
  // A: 10 minutes to respond (week of 23 March); resolved after 120 minutes the same day.
  await plant({
    created_at: '2026-03-24T09:00:00Z',
    first_responded_at: '2026-03-24T09:10:00Z',
    resolved_at: '2026-03-24T11:00:00Z',
  });
  // B (high priority): 30 minutes to respond; resolved a week later, 7 × 1440 = 10080 minutes (week of 30 March).
  await plant({
    priority: 'high',
    created_at: '2026-03-24T09:00:00Z',
    first_responded_at: '2026-03-24T09:30:00Z',
    resolved_at: '2026-03-31T09:00:00Z',
  });
  // C: 120 minutes to respond; not resolved.
  await plant({ created_at: '2026-03-25T08:00:00Z', first_responded_at: '2026-03-25T10:00:00Z' });
  // D: created 01:30 on Sunday 29 March (winter time), answered 00:30 on Monday 30 March (summer time):
  // 23 hours on the wall clock but 22 × 60 = 1320 calendar minutes, in the week of 30 March.
  // Reopened once; its latest resolution 2026-04-02T00:30Z is 4 days = 5760 minutes after creation.
  await plant({
    created_at: '2026-03-29T00:30:00Z',
    first_responded_at: '2026-03-29T22:30:00Z',
    resolved_at: '2026-04-02T00:30:00Z',
    reopened_count: 1,
  });
  // E: 20 minutes to respond; resolved 23:30 on Sunday 5 April local (the last day, included):
  // 6 days 13 h 30 = 8640 + 810 = 9450 minutes.
  await plant({
    created_at: '2026-03-30T08:00:00Z',
    first_responded_at: '2026-03-30T08:20:00Z',
    resolved_at: '2026-04-05T21:30:00Z',
  });
  // F: answered 23:30 on Sunday 22 March local: before the period.
  await plant({ created_at: '2026-03-22T22:00:00Z', first_responded_at: '2026-03-22T22:30:00Z' });
  // H: resolved 00:30 on Monday 6 April local: after the period.
  await plant({ created_at: '2026-04-01T00:00:00Z', resolved_at: '2026-04-05T22:30:00Z' });
  // A merged duplicate never counts.
  await plant({
    merged_into_id: survivor,
    created_at: '2026-03-24T09:00:00Z',
    first_responded_at: '2026-03-24T09:01:00Z',
    resolved_at: '2026-03-24T09:02:00Z',
  });

  // SLA, first response. P1 met (week of 23 March); P2 breached (week of 23 March).
  await plant({ first_response_due_at: '2026-03-24T10:00:00Z' });
  await plant({
    first_response_due_at: '2026-03-24T12:00:00Z',
    first_response_breached_at: '2026-03-24T12:00:00Z',
  });
  // P3 due 00:30 on Monday 30 March in summer time (it would be Sunday 23:30 with the winter offset): met.
  await plant({ first_response_due_at: '2026-03-29T22:30:00Z' });
  // P5: no due time (no SLA applies): not counted.
  await plant({ created_at: '2026-03-24T00:00:00Z' });
  // SLA, resolution. R1 breached (week of 23 March); R2 met, R3 breached (week of 30 March).
  await plant({ resolution_due_at: '2026-03-26T10:00:00Z', resolution_breached_at: '2026-03-26T10:00:00Z' });
  await plant({ resolution_due_at: '2026-04-01T10:00:00Z' });
  await plant({ resolution_due_at: '2026-04-02T10:00:00Z', resolution_breached_at: '2026-04-02T10:00:00Z' });
});
afterAll(() => t.close());

const period = 'from=2026-03-23&to=2026-04-05&interval=week';
const get = async (name: string, query = period) => {
  const response = await admin.client.get(`/api/v1/metrics/${name}?${query}`);
  expect(response.status).toBe(200);
  return response.body;
};

describe('first response times, by hand', () => {
  it('median: week of 23 March [10, 30, 120] → 30; week of 30 March [20, 1320] → 670; all → 30', async () => {
    const body = await get('first_response_median_minutes');
    expect(body.metric).toMatchObject({ unit: 'minutes', better: 'down' });
    expect(body.series).toEqual([
      { start: '2026-03-23', value: 30, numerator: null, denominator: 3 },
      { start: '2026-03-30', value: 670, numerator: null, denominator: 2 },
    ]);
    // [10, 20, 30, 120, 1320]: the middle one.
    expect(body.total).toEqual({ value: 30, numerator: null, denominator: 5 });
  });

  it('p90: 30 + 0.8 × (120 − 30) = 102; 20 + 0.9 × 1300 = 1190; all: 120 + 0.6 × 1200 = 840', async () => {
    const body = await get('first_response_p90_minutes');
    expect(body.series.map((point: { value: number }) => point.value)).toEqual([102, 1190]);
    expect(body.total.value).toBe(840);
  });

  it('by priority is the priority filter: only B (30 minutes) is high', async () => {
    const body = await get('first_response_median_minutes', `${period}&priority=high`);
    expect(body.series.map((point: { value: number }) => point.value)).toEqual([30, null]);
    expect(body.total).toEqual({ value: 30, numerator: null, denominator: 1 });
  });
});

describe('resolution times, by hand', () => {
  it('counts items in the week they were resolved, reopened ones with their latest resolution', async () => {
    const median = await get('resolution_median_minutes');
    // Week of 23 March: A (120). Week of 30 March: D 5760, E 9450, B 10080 (created the week before).
    expect(median.series).toEqual([
      { start: '2026-03-23', value: 120, numerator: null, denominator: 1 },
      { start: '2026-03-30', value: 9450, numerator: null, denominator: 3 },
    ]);
    // [120, 5760, 9450, 10080]: (5760 + 9450) / 2.
    expect(median.total).toEqual({ value: 7605, numerator: null, denominator: 4 });
    const p90 = await get('resolution_p90_minutes');
    // 9450 + 0.8 × (10080 − 9450) = 9954; all: position 2.7 → 9450 + 0.7 × 630 = 9891.
    expect(p90.series.map((point: { value: number }) => point.value)).toEqual([120, 9954]);
    expect(p90.total.value).toBe(9891);
  });
});

describe('SLA compliance, by hand', () => {
  it('first response: 1 of 2 met in the week of 23 March, 1 of 1 in the next (after the switch)', async () => {
    const body = await get('sla_first_response_compliance');
    expect(body.series).toEqual([
      { start: '2026-03-23', value: 50, numerator: 1, denominator: 2 },
      { start: '2026-03-30', value: 100, numerator: 1, denominator: 1 },
    ]);
    expect(body.total).toEqual({ value: 66.67, numerator: 2, denominator: 3 });
  });

  it('resolution: 0 of 1, then 1 of 2; 1 of 3 in all', async () => {
    const body = await get('sla_resolution_compliance');
    expect(body.series).toEqual([
      { start: '2026-03-23', value: 0, numerator: 0, denominator: 1 },
      { start: '2026-03-30', value: 50, numerator: 1, denominator: 2 },
    ]);
    expect(body.total).toEqual({ value: 33.33, numerator: 1, denominator: 3 });
  });

  it('does not count a due time still ahead', async () => {
    const now = Date.now();
    await plant({ first_response_due_at: new Date(now + 2 * 3_600_000).toISOString() });
    const day = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
    const body = await get('sla_first_response_compliance', `from=${day(-3)}&to=${day(3)}&interval=day`);
    expect(body.total).toEqual({ value: null, numerator: 0, denominator: 0 });
  });
});

describe('empty periods', () => {
  it('have no data rather than a zero', async () => {
    for (const name of [
      'first_response_p90_minutes',
      'resolution_median_minutes',
      'sla_resolution_compliance',
    ]) {
      const body = await get(name, 'from=2025-06-01&to=2025-06-02&interval=day');
      expect(body.series.map((point: { value: number | null }) => point.value)).toEqual([null, null]);
      expect(body.total.value).toBeNull();
    }
  });
});
