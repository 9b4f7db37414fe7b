import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { drainJobs } from '../../src/platform/jobs/worker.ts';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let agent: Awaited<ReturnType<typeof signedInUser>>;
let outsider: Awaited<ReturnType<typeof signedInUser>>;
let now: Date;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  agent = await signedInUser(t, 'agent', admin.workspaceId);
  outsider = await signedInUser(t, 'admin');
  t.deps.clock = () => now;
});
afterAll(() => t.close());
beforeEach(() => {
  now = new Date('2026-11-20T15:30:00Z'); // a Friday, 16:30 in Amsterdam
});

const hours = (n: number) => n * 3_600_000;
const later = (date: Date, ms: number) => new Date(date.getTime() + ms);
const iso = (date: Date) => date.toISOString();

async function createItem(client: Client, body: Record<string, unknown> = {}) {
  const response = await client.post('/api/v1/items', {
    kind: 'complaint',
    subject: 'The ice cream melted',
    reporterName: 'Ann',
    acknowledge: false,
    ...body,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function slaColumns(id: string) {
  return t.database.db
    .selectFrom('items')
    .select(['sla_next_check_at', 'sla_paused_at', 'sla_paused_minutes', 'first_response_due_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

const amsterdamNineToFive = {
  timeZone: 'Europe/Amsterdam',
  schedule: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
  holidays: ['2026-12-25'],
  warnBeforeMinutes: 30,
};

describe('due times with the built-in defaults (around the clock, UTC)', () => {
  it('sets first response and resolution targets by priority from the creation time', async () => {
    const normal = await createItem(admin.client);
    expect(normal.firstResponseDueAt).toBe(iso(later(now, hours(8))));
    expect(normal.resolutionDueAt).toBe(iso(later(now, hours(72))));
    const urgent = await createItem(admin.client, { priority: 'urgent' });
    expect(urgent.firstResponseDueAt).toBe(iso(later(now, hours(1))));
    expect(urgent.resolutionDueAt).toBe(iso(later(now, hours(8))));
    // The sweep looks first at the warning: 30 minutes before (half of a 1h target), not earlier.
    expect(iso((await slaColumns(urgent.id)).sla_next_check_at!)).toBe(iso(later(now, hours(0.5))));
    expect(iso((await slaColumns(normal.id)).sla_next_check_at!)).toBe(iso(later(now, hours(7))));
  });

  it('a priority or kind change recomputes from the creation time with the new targets', async () => {
    const item = await createItem(admin.client);
    const created = now;
    now = later(now, hours(2));
    const patched = await admin.client.patch(`/api/v1/items/${item.id}`, {
      priority: 'high',
      version: item.version,
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.firstResponseDueAt).toBe(iso(later(created, hours(4))));
    expect(patched.body.resolutionDueAt).toBe(iso(later(created, hours(24))));
  });

  it('pauses while waiting on the customer and moves the due times out by the pause', async () => {
    const item = await createItem(admin.client);
    const created = now;
    now = later(now, hours(1));
    const waiting = await admin.client.patch(`/api/v1/items/${item.id}`, {
      status: 'waiting_on_customer',
      version: item.version,
    });
    expect(waiting.status, JSON.stringify(waiting.body)).toBe(200);
    expect(waiting.body.slaPausedAt).toBe(iso(now));
    expect(waiting.body.resolutionDueAt).toBe(iso(later(created, hours(72))));
    // Nothing can breach while paused.
    expect((await slaColumns(item.id)).sla_next_check_at).toBeNull();

    now = later(now, hours(5));
    const back = await admin.client.patch(`/api/v1/items/${item.id}`, {
      status: 'in_progress',
      version: waiting.body.version,
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body.slaPausedAt).toBeNull();
    expect(back.body.firstResponseDueAt).toBe(iso(later(created, hours(8 + 5))));
    expect(back.body.resolutionDueAt).toBe(iso(later(created, hours(72 + 5))));
    expect((await slaColumns(item.id)).sla_paused_minutes).toBe(300);
  });

  it('the first response stops its clock: only the resolution is checked afterwards', async () => {
    const item = await createItem(admin.client, { priority: 'urgent' });
    const created = now;
    await t.database.db
      .updateTable('items')
      .set({ first_responded_at: later(now, 60_000) })
      .where('id', '=', item.id)
      .execute();
    const { refreshItemSla } = await import('../../src/features/sla/refresh.ts');
    await refreshItemSla(t.database.db, admin.workspaceId, item.id, later(now, 60_000));
    // Warning for the resolution: 60 minutes before the 8h target.
    expect(iso((await slaColumns(item.id)).sla_next_check_at!)).toBe(iso(later(created, hours(7))));
  });
});

describe('business hours', () => {
  it('Friday 16:30 + 1 business hour is Monday 09:30 in the workspace time zone', async () => {
    const put = await admin.client.request('PUT', '/api/v1/business-hours', amsterdamNineToFive);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ ...amsterdamNineToFive, queued: false });
    const item = await createItem(admin.client, { priority: 'urgent' });
    expect(item.firstResponseDueAt).toBe('2026-11-23T08:30:00.000Z'); // Monday 09:30 CET
    expect(item.resolutionDueAt).toBe('2026-11-23T15:30:00.000Z'); // 8 business hours: Monday 16:30 CET

    const read = await agent.client.get('/api/v1/business-hours');
    expect(read.body).toEqual({ ...amsterdamNineToFive });
  });

  it('changing the calendar recomputes the due times of open items', async () => {
    await admin.client.request('PUT', '/api/v1/business-hours', amsterdamNineToFive);
    const item = await createItem(admin.client, { priority: 'urgent' });
    expect(item.firstResponseDueAt).toBe('2026-11-23T08:30:00.000Z');
    const put = await admin.client.request('PUT', '/api/v1/business-hours', {
      ...amsterdamNineToFive,
      schedule: [],
    });
    expect(put.status).toBe(200);
    expect(put.body.recomputedItems).toBeGreaterThanOrEqual(1);
    const read = await admin.client.get(`/api/v1/items/${item.id}`);
    expect(read.body.firstResponseDueAt).toBe(iso(later(now, hours(1))));
  });

  it('refuses an unknown time zone, empty or reversed intervals and overlaps, saying where', async () => {
    const response = await admin.client.request('PUT', '/api/v1/business-hours', {
      timeZone: 'Mars/Olympus_Mons',
      schedule: [
        { day: 1, start: '09:00', end: '17:00' },
        { day: 1, start: '12:00', end: '13:00' },
        { day: 2, start: '17:00', end: '09:00' },
        { day: 3, start: '24:00', end: '24:00' },
      ],
      holidays: [],
      warnBeforeMinutes: 60,
    });
    expect(response.status).toBe(422);
    const paths = response.body.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.timeZone',
        'body.schedule.1',
        'body.schedule.2.end',
        'body.schedule.3.start',
      ]),
    );
    expect(response.body.detail).toContain('Europe/Amsterdam');
    const badShape = await admin.client.request('PUT', '/api/v1/business-hours', {
      timeZone: 'UTC',
      schedule: [{ day: 7, start: '9am', end: '17:00' }],
      holidays: ['25 December'],
    });
    expect(badShape.status).toBe(400);
  });

  it('agents can read but not change the calendar; workspaces do not see each other', async () => {
    const denied = await agent.client.request('PUT', '/api/v1/business-hours', amsterdamNineToFive);
    expect(denied.status).toBe(403);
    await admin.client.request('PUT', '/api/v1/business-hours', amsterdamNineToFive);
    const theirs = await outsider.client.get('/api/v1/business-hours');
    expect(theirs.body).toEqual({ timeZone: 'UTC', schedule: [], holidays: [], warnBeforeMinutes: 60 });
  });
});

describe('SLA policies', () => {
  it('lists the defaults until set, replaces all on PUT and recomputes open items', async () => {
    await admin.client.request('PUT', '/api/v1/business-hours', { ...amsterdamNineToFive, schedule: [] });
    const defaults = await agent.client.get('/api/v1/sla-policies');
    expect(defaults.status).toBe(200);
    expect(defaults.body.usingDefaults).toBe(true);
    expect(defaults.body.policies).toHaveLength(24);
    expect(defaults.body.policies).toContainEqual({
      kind: 'complaint',
      priority: 'urgent',
      firstResponseMinutes: 60,
      resolutionMinutes: 480,
    });

    const complaint = await createItem(admin.client);
    const praise = await createItem(admin.client, { kind: 'praise' });
    const put = await admin.client.request('PUT', '/api/v1/sla-policies', {
      policies: [
        { kind: 'complaint', priority: 'normal', firstResponseMinutes: 30, resolutionMinutes: null },
      ],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ usingDefaults: false, queued: false });
    expect(put.body.recomputedItems).toBeGreaterThanOrEqual(2);
    const readComplaint = await admin.client.get(`/api/v1/items/${complaint.id}`);
    expect(readComplaint.body.firstResponseDueAt).toBe(iso(later(now, 30 * 60_000)));
    expect(readComplaint.body.resolutionDueAt).toBeNull();
    const readPraise = await admin.client.get(`/api/v1/items/${praise.id}`);
    expect(readPraise.body.firstResponseDueAt).toBeNull(); // no policy row: no SLA

    const reset = await admin.client.request('PUT', '/api/v1/sla-policies', { policies: [] });
    expect(reset.body.usingDefaults).toBe(true);
    const again = await admin.client.get(`/api/v1/items/${praise.id}`);
    expect(again.body.firstResponseDueAt).toBe(iso(later(now, hours(8))));
  });

  it('refuses the same kind × priority twice, and out-of-range targets', async () => {
    const policy = { kind: 'request', priority: 'low', firstResponseMinutes: 10, resolutionMinutes: 100 };
    const twice = await admin.client.request('PUT', '/api/v1/sla-policies', { policies: [policy, policy] });
    expect(twice.status).toBe(422);
    expect(twice.body.errors).toEqual([
      { path: 'body.policies.1', message: 'request/low is already set by body.policies.0.' },
    ]);
    const zero = await admin.client.request('PUT', '/api/v1/sla-policies', {
      policies: [{ ...policy, firstResponseMinutes: 0 }],
    });
    expect(zero.status).toBe(400);
  });

  it('agents get 403 on PUT; another workspace keeps its defaults', async () => {
    const denied = await agent.client.request('PUT', '/api/v1/sla-policies', { policies: [] });
    expect(denied.status).toBe(403);
    await admin.client.request('PUT', '/api/v1/sla-policies', {
      policies: [{ kind: 'request', priority: 'low', firstResponseMinutes: 10, resolutionMinutes: 100 }],
    });
    const theirs = await outsider.client.get('/api/v1/sla-policies');
    expect(theirs.body.usingDefaults).toBe(true);
    await admin.client.request('PUT', '/api/v1/sla-policies', { policies: [] });
  });
});

describe('escalation rules', () => {
  it('lists the defaults, replaces them, and checks the factor', async () => {
    const defaults = await agent.client.get('/api/v1/escalation-rules');
    expect(defaults.body).toEqual({
      usingDefaults: true,
      rules: [
        { trigger: 'first_response_breach', level: 'lead' },
        { trigger: 'resolution_breach', level: 'manager' },
        { trigger: 'resolution_overdue', factor: 2, level: 'executive' },
      ],
    });
    const missing = await admin.client.request('PUT', '/api/v1/escalation-rules', {
      rules: [
        { trigger: 'resolution_overdue', level: 'manager' },
        { trigger: 'resolution_breach', factor: 3, level: 'manager' },
      ],
    });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((error: { path: string }) => error.path)).toEqual([
      'body.rules.0.factor',
      'body.rules.1.factor',
    ]);
    const put = await admin.client.request('PUT', '/api/v1/escalation-rules', {
      rules: [{ trigger: 'resolution_overdue', factor: 1.5, level: 'manager' }],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({
      usingDefaults: false,
      rules: [{ trigger: 'resolution_overdue', factor: 1.5, level: 'manager' }],
    });
    expect((await outsider.client.get('/api/v1/escalation-rules')).body.usingDefaults).toBe(true);
    expect((await agent.client.request('PUT', '/api/v1/escalation-rules', { rules: [] })).status).toBe(403);
    await admin.client.request('PUT', '/api/v1/escalation-rules', { rules: [] });
  });
});

describe('recomputing many open items', () => {
  it('queues a job when a workspace has more than 2,000 open items; the job sets every due time', async () => {
    const big = await signedInUser(t, 'admin');
    await sql`
      insert into items (id, workspace_id, kind, channel, subject, priority, reply_token, created_at, updated_at)
      select gen_random_uuid(), ${big.workspaceId}, 'request', 'phone', 'Item ' || i, 'low',
        md5(${big.workspaceId} || i::text), ${now}::timestamptz, ${now}::timestamptz
      from generate_series(1, 2001) i`.execute(t.database.db);
    const put = await big.client.request('PUT', '/api/v1/sla-policies', {
      policies: [{ kind: 'request', priority: 'low', firstResponseMinutes: 90, resolutionMinutes: null }],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ recomputedItems: 0, queued: true });
    await drainJobs(t.deps);
    const counts = await t.database.db
      .selectFrom('items')
      .select([
        (eb) => eb.fn.countAll<string>().as('items'),
        (eb) =>
          eb.fn
            .count<string>('id')
            .filterWhere('first_response_due_at', '=', later(now, 90 * 60_000))
            .as('due'),
      ])
      .where('workspace_id', '=', big.workspaceId)
      .executeTakeFirstOrThrow();
    expect({ items: Number(counts.items), due: Number(counts.due) }).toEqual({ items: 2001, due: 2001 });
  });
});
