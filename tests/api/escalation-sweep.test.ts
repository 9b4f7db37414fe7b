import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slaSweepJob } from '../../src/features/sla/jobs.ts';
import { sweepSla } from '../../src/features/sla/sweep.ts';
import { enqueueJob } from '../../src/platform/jobs/queue.ts';
import { drainJobs } from '../../src/platform/jobs/worker.ts';
import { createUser, signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let agent: Awaited<ReturnType<typeof signedInUser>>;
let lead: { id: string };
let executive: { id: string };
let outsider: Awaited<ReturnType<typeof signedInUser>>;
let now: Date;

const minutes = (n: number) => n * 60_000;
const at = (start: Date, ms: number) => new Date(start.getTime() + ms);

beforeAll(async () => {
  t = await createTestApp();
  now = new Date('2026-11-20T10:00:00Z');
  t.deps.clock = () => now;
  admin = await signedInUser(t, 'admin'); // a manager on the ladder (from the role)
  agent = await signedInUser(t, 'agent', admin.workspaceId);
  lead = await createUser(t.database.db, admin.workspaceId, { role: 'agent', name: 'Lea Lead' });
  executive = await createUser(t.database.db, admin.workspaceId, { role: 'executive' });
  const put = await admin.client.request('PUT', `/api/v1/users/${lead.id}/ladder`, {
    ladderLevel: 'lead',
    teamId: null,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  outsider = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

async function createItem(client: Client, body: Record<string, unknown> = {}) {
  const response = await client.post('/api/v1/items', {
    kind: 'complaint',
    subject: 'Car will not start after buying vanilla',
    reporterName: 'Ann',
    priority: 'urgent', // defaults: first response 60 min, resolution 8 h; warnings at 30 min and 7 h
    acknowledge: false,
    ...body,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; version: number };
}

async function notifications(userId: string, itemId: string) {
  const rows = await t.database.db
    .selectFrom('notifications')
    .select('type')
    .where('user_id', '=', userId)
    .where('item_id', '=', itemId)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.type);
}

async function events(itemId: string, type: string) {
  return t.database.db
    .selectFrom('item_events')
    .select(['data', 'actor_type', 'created_at'])
    .where('item_id', '=', itemId)
    .where('type', '=', type)
    .orderBy('created_at')
    .execute();
}

async function item(id: string) {
  return t.database.db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('the sweep moves along the clock', () => {
  it('warns, breaches and escalates an unowned urgent complaint step by step, each once', async () => {
    const created = now;
    const { id } = await createItem(agent.client);
    const foreign = await createItem(outsider.client);

    now = at(created, minutes(29));
    expect((await sweepSla(t.deps)).checked).toBe(0);

    now = at(created, minutes(31));
    let counts = await sweepSla(t.deps);
    expect(counts).toMatchObject({ warnings: 2, breaches: 0, escalations: 0 }); // ours and the outsider's
    expect(await notifications(lead.id, id)).toEqual(['sla_warning']); // unowned: the leads hear of it
    expect(await notifications(outsider.user.id, id)).toEqual([]);
    expect(await notifications(outsider.user.id, foreign.id)).toEqual(['sla_warning']); // their own: no leads, managers
    expect((await sweepSla(t.deps)).checked).toBe(0);

    now = at(created, minutes(61));
    counts = await sweepSla(t.deps);
    expect(counts).toMatchObject({ breaches: 2, escalations: 2 }); // ours and the outsider's, each to lead
    let row = await item(id);
    expect(row.first_response_breached_at?.toISOString()).toBe(at(created, minutes(60)).toISOString());
    expect(row.escalation_level).toBe('lead');
    expect((await events(id, 'sla_breached')).map((event) => event.data)).toEqual([
      { target: 'first_response', dueAt: at(created, minutes(60)).toISOString() },
    ]);
    const escalated = await events(id, 'escalated');
    expect(escalated).toHaveLength(1);
    expect(escalated[0]).toMatchObject({
      actor_type: 'system',
      data: { from: 'agent', to: 'lead', cause: 'first_response_breach' },
    });
    expect(await notifications(lead.id, id)).toEqual(['sla_warning', 'sla_breach', 'escalation']);
    const audits = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', id)
      .where('actor_type', '=', 'system')
      .execute();
    expect(audits.map((entry) => entry.action).sort()).toEqual([
      'item.escalated',
      'item.sla_breached',
      'item.sla_warned',
    ]);

    now = at(created, minutes(7 * 60 + 1));
    expect(await sweepSla(t.deps)).toMatchObject({ warnings: 2, breaches: 0 }); // the resolution warning

    now = at(created, minutes(8 * 60 + 1));
    await sweepSla(t.deps);
    row = await item(id);
    expect(row.resolution_breached_at?.toISOString()).toBe(at(created, minutes(480)).toISOString());
    expect(row.escalation_level).toBe('manager');
    expect(await notifications(admin.user.id, id)).toEqual(['escalation']);

    now = at(created, minutes(16 * 60 - 1));
    expect((await sweepSla(t.deps)).escalations).toBe(0);
    now = at(created, minutes(16 * 60 + 1));
    await sweepSla(t.deps);
    row = await item(id);
    expect(row.escalation_level).toBe('executive');
    expect(row.sla_next_check_at).toBeNull(); // nothing more can happen
    expect(await notifications(executive.id, id)).toEqual(['escalation']);
    expect((await events(id, 'escalated')).map((event) => (event.data as { cause: string }).cause)).toEqual([
      'first_response_breach',
      'resolution_breach',
      'resolution_overdue',
    ]);
    expect(await events(id, 'sla_breached')).toHaveLength(2);

    now = at(created, minutes(60 * 24 * 7));
    expect((await sweepSla(t.deps)).checked).toBe(0);
    // The owner-facing versions moved with each breach and escalation.
    expect(row.version).toBeGreaterThan(1);
  });

  it('notifies the owner rather than the leads once someone owns the item', async () => {
    const created = now;
    const { id } = await createItem(agent.client);
    const taken = await agent.client.post(`/api/v1/items/${id}/take`, {});
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    now = at(created, minutes(45));
    await sweepSla(t.deps);
    expect(await notifications(agent.user.id, id)).toEqual(['sla_warning']);
    expect(await notifications(lead.id, id)).toEqual([]);
  });

  it('falls back to the leads when the owner has been disabled', async () => {
    const created = now;
    const { id } = await createItem(agent.client);
    const gone = await createUser(t.database.db, admin.workspaceId, { role: 'agent' });
    await t.database.db.updateTable('items').set({ owner_id: gone.id }).where('id', '=', id).execute();
    await t.database.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', gone.id).execute();
    now = at(created, minutes(45));
    await sweepSla(t.deps);
    expect(await notifications(lead.id, id)).toEqual(['sla_warning']);
  });

  it('two sweeps at once: one warning, one breach event, one escalation', async () => {
    const created = now;
    const { id } = await createItem(agent.client);
    now = at(created, minutes(40));
    const warned = await Promise.all([sweepSla(t.deps), sweepSla(t.deps)]);
    expect(warned[0].warnings + warned[1].warnings).toBe(1);
    expect(await notifications(lead.id, id)).toEqual(['sla_warning']);

    now = at(created, minutes(65));
    const breached = await Promise.all([
      sweepSla(t.deps, { batchSize: 1 }),
      sweepSla(t.deps, { batchSize: 1 }),
      sweepSla(t.deps),
    ]);
    expect(breached.reduce((sum, counts) => sum + counts.breaches, 0)).toBe(1);
    expect(breached.reduce((sum, counts) => sum + counts.escalations, 0)).toBe(1);
    expect(await events(id, 'sla_breached')).toHaveLength(1);
    expect(await events(id, 'escalated')).toHaveLength(1);
    expect(await notifications(lead.id, id)).toEqual(['sla_warning', 'sla_breach', 'escalation']);
  });

  it('a first response given after its due time is recorded as breached, quietly', async () => {
    const created = now;
    const { id } = await createItem(agent.client);
    now = at(created, minutes(62));
    // Replied before the sweep ran: no more escalation, but the breach is on record.
    await t.database.db.updateTable('items').set({ first_responded_at: now }).where('id', '=', id).execute();
    const { refreshItemSla } = await import('../../src/features/sla/refresh.ts');
    await refreshItemSla(t.database.db, admin.workspaceId, id, now);
    await sweepSla(t.deps);
    const row = await item(id);
    expect(row.first_response_breached_at?.toISOString()).toBe(at(created, minutes(60)).toISOString());
    expect(row.escalation_level).toBe('agent');
    expect((await events(id, 'sla_breached'))[0]?.data).toMatchObject({
      target: 'first_response',
      metLate: true,
    });
    expect(await notifications(lead.id, id)).toEqual([]);
  });

  it('nothing breaches while waiting on the customer; the clock resumes after', async () => {
    const created = now;
    const { id, version } = await createItem(agent.client);
    now = at(created, minutes(10));
    const waiting = await agent.client.patch(`/api/v1/items/${id}`, {
      status: 'waiting_on_customer',
      version,
    });
    expect(waiting.status, JSON.stringify(waiting.body)).toBe(200);
    now = at(created, minutes(600));
    await sweepSla(t.deps);
    expect((await item(id)).first_response_breached_at).toBeNull();
    const back = await agent.client.patch(`/api/v1/items/${id}`, {
      status: 'in_progress',
      version: waiting.body.version,
    });
    expect(back.body.firstResponseDueAt).toBe(at(created, minutes(60 + 590)).toISOString());
    now = at(created, minutes(60 + 590 + 1));
    await sweepSla(t.deps);
    expect((await item(id)).first_response_breached_at?.toISOString()).toBe(
      at(created, minutes(650)).toISOString(),
    );
  });
});

describe('the sweep job', () => {
  it('runs from the job queue and plans its own next run a minute later', async () => {
    const created = now;
    const { id } = await createItem(agent.client);
    now = at(created, minutes(61));
    await enqueueJob(t.database.db, { kind: slaSweepJob });
    const before = Date.now();
    expect(await drainJobs(t.deps)).toBeGreaterThanOrEqual(1);
    expect((await item(id)).first_response_breached_at).not.toBeNull();
    const planned = await t.database.db
      .selectFrom('jobs')
      .select('run_at')
      .where('kind', '=', slaSweepJob)
      .where('status', '=', 'queued')
      .execute();
    expect(planned).toHaveLength(1);
    expect(planned[0]!.run_at.getTime()).toBeGreaterThanOrEqual(before + 59_000);
  });
});
