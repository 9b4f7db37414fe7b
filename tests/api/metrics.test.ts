import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Hand-computed fixtures: every figure below is worked out from the planted items. The workspace
 * is in Amsterdam, and the period crosses the switch to summer time (29 March 2026, 02:00 → 03:00).
 */
let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let ws: string;

interface Planted {
  kind?: 'complaint' | 'question' | 'praise';
  resolvedAt?: string;
  closedAt?: string;
  staffReplies?: number;
  reopened?: number;
  informed?: boolean;
  thanked?: boolean;
  merged?: boolean;
}

async function plant(items: Planted[]) {
  const survivor = newId();
  await t.database.db
    .insertInto('items')
    .values({
      id: survivor,
      workspace_id: ws,
      kind: 'complaint',
      channel: 'email',
      subject: 'survivor',
      reply_token: newId().replaceAll('-', ''),
      created_at: '2026-01-01T00:00:00Z',
    })
    .execute();
  for (const item of items) {
    await t.database.db
      .insertInto('items')
      .values({
        id: newId(),
        workspace_id: ws,
        kind: item.kind ?? 'complaint',
        channel: 'email',
        subject: 'planted',
        reply_token: newId().replaceAll('-', ''),
        status: item.closedAt ? 'closed' : item.resolvedAt ? 'resolved' : 'new',
        created_at: '2026-03-01T00:00:00Z',
        resolved_at: item.resolvedAt ?? null,
        closed_at: item.closedAt ?? null,
        informed_at: item.informed ? (item.closedAt ?? item.resolvedAt ?? null) : null,
        thanked_at: item.thanked ? (item.closedAt ?? item.resolvedAt ?? null) : null,
        staff_reply_count: item.staffReplies ?? 0,
        reopened_count: item.reopened ?? 0,
        merged_into_id: item.merged ? survivor : null,
      })
      .execute();
  }
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  ws = admin.workspaceId;
  await t.database.db
    .insertInto('business_hours')
    .values({ workspace_id: ws, time_zone: 'Europe/Amsterdam' })
    .execute();
  await plant([
    // 00:30 on Monday 30 March in Amsterdam (summer time), still Sunday in UTC: week of 30 March.
    { resolvedAt: '2026-03-29T22:30:00Z', staffReplies: 1 },
    { resolvedAt: '2026-03-25T10:00:00Z', staffReplies: 2 },
    { resolvedAt: '2026-03-24T10:00:00Z', staffReplies: 0, reopened: 1 },
    // 23:30 on Sunday 22 March in Amsterdam (winter time): before the period.
    { resolvedAt: '2026-03-22T22:30:00Z', staffReplies: 1 },
    // 23:30 on Sunday 5 April in Amsterdam: the last day of the period, included.
    { kind: 'question', resolvedAt: '2026-04-05T21:30:00Z', staffReplies: 1 },
    // 00:30 on Monday 6 April in Amsterdam: after the period.
    { resolvedAt: '2026-04-05T22:30:00Z', staffReplies: 1 },
    // A merged duplicate counts only as its survivor.
    { resolvedAt: '2026-03-25T12:00:00Z', staffReplies: 1, merged: true },
    // Loop closure: closed in the week of 23 March.
    { closedAt: '2026-03-26T09:00:00Z', informed: true, thanked: true },
    { closedAt: '2026-03-26T09:30:00Z', informed: true, thanked: false },
    { closedAt: '2026-03-27T09:30:00Z', informed: false, thanked: false },
  ]);
});
afterAll(() => t.close());

const period = 'from=2026-03-23&to=2026-04-05&interval=week';

describe('GET /api/v1/metrics', () => {
  it('lists the catalogue with units, direction and definitions', async () => {
    const response = await admin.client.get('/api/v1/metrics');
    expect(response.status).toBe(200);
    const fcr = response.body.data.find(
      (metric: { name: string }) => metric.name === 'first_contact_resolution',
    );
    expect(fcr).toMatchObject({ unit: 'percent', better: 'up' });
    expect(fcr.description).toMatch(/at most one staff reply/);
  });
});

describe('first-contact resolution, by hand', () => {
  it('buckets by the local week across the daylight-saving switch and counts each item once', async () => {
    const response = await admin.client.get(`/api/v1/metrics/first_contact_resolution?${period}`);
    expect(response.status).toBe(200);
    expect(response.body.timeZone).toBe('Europe/Amsterdam');
    expect(response.body.series).toEqual([
      // 25 March (2 replies) and 24 March (reopened) — neither is a first-contact resolution.
      { start: '2026-03-23', value: 0, numerator: 0, denominator: 2 },
      // 30 March 00:30 local and 5 April 23:30 local, one reply each.
      { start: '2026-03-30', value: 100, numerator: 2, denominator: 2 },
    ]);
    expect(response.body.total).toEqual({ value: 50, numerator: 2, denominator: 4 });
  });

  it('narrows by filters', async () => {
    const response = await admin.client.get(
      `/api/v1/metrics/first_contact_resolution?${period}&kind=complaint`,
    );
    expect(response.body.total).toEqual({ value: 33.33, numerator: 1, denominator: 3 });
    const both = await admin.client.get(
      `/api/v1/metrics/first_contact_resolution?${period}&kind=complaint,question`,
    );
    expect(both.body.total.denominator).toBe(4);
  });

  it('says "no data" for an empty period instead of dividing by zero', async () => {
    const response = await admin.client.get(
      '/api/v1/metrics/first_contact_resolution?from=2025-01-01&to=2025-01-03&interval=day',
    );
    expect(response.body.series).toEqual([
      { start: '2025-01-01', value: null, numerator: 0, denominator: 0 },
      { start: '2025-01-02', value: null, numerator: 0, denominator: 0 },
      { start: '2025-01-03', value: null, numerator: 0, denominator: 0 },
    ]);
    expect(response.body.total.value).toBeNull();
  });
});

describe('loop closure rate, by hand', () => {
  it('is the share of closed items whose customer was informed and thanked', async () => {
    const response = await admin.client.get(`/api/v1/metrics/loop_closure_rate?${period}`);
    expect(response.body.series[0]).toEqual({
      start: '2026-03-23',
      value: 33.33,
      numerator: 1,
      denominator: 3,
    });
    expect(response.body.series[1]).toEqual({
      start: '2026-03-30',
      value: null,
      numerator: 0,
      denominator: 0,
    });
  });
});

describe('metric API input and access', () => {
  it('exports a series as CSV', async () => {
    const response = await admin.client.get(`/api/v1/metrics/first_contact_resolution?${period}&format=csv`);
    expect(response.status).toBe(200);
    expect(String(response.headers['content-type'])).toMatch(/text\/csv/);
    expect(response.body).toBe(
      'start,value,numerator,denominator\n2026-03-23,0,0,2\n2026-03-30,100,2,2\ntotal,50,2,4\n',
    );
  });

  it('refuses bad input with what to fix, and unknown metrics with 404', async () => {
    const reversed = await admin.client.get(
      '/api/v1/metrics/first_contact_resolution?from=2026-04-01&to=2026-03-01',
    );
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors[0].path).toBe('query.to');
    const badKind = await admin.client.get(`/api/v1/metrics/first_contact_resolution?${period}&kind=rumour`);
    expect(badKind.status).toBe(400);
    expect((await admin.client.get(`/api/v1/metrics/no_such_metric?${period}`)).status).toBe(404);
    expect((await admin.client.get('/api/v1/metrics/first_contact_resolution?from=2026-01-01')).status).toBe(
      400,
    );
  });

  it("never counts another workspace's items", async () => {
    const other = await signedInUser(t, 'executive');
    const response = await other.client.get(`/api/v1/metrics/first_contact_resolution?${period}`);
    expect(response.status).toBe(200);
    expect(response.body.total).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect((await t.client().get(`/api/v1/metrics/first_contact_resolution?${period}`)).status).toBe(401);
  });
});
