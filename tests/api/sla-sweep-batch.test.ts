import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshItemsSla } from '../../src/features/sla/refresh.ts';
import { sweepSla } from '../../src/features/sla/sweep.ts';
import { createUser, signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

// Thousands of items due at once (a catch-up after downtime), swept by two concurrent sweeps in
// batches: every warning, breach, escalation, notification and email exactly once.

const itemCount = 3_000;
const minutes = (n: number) => n * 60_000;

let t: TestApp;
let workspaceId: string;
let agentId: string;
let leadId: string;
let managerId: string;
let executiveId: string;
const created = new Date('2026-11-20T10:00:00Z');
let now = created;
/** Item id → its owner: the agent (one in three), a disabled user (one in three) or nobody. */
const owners = new Map<string, 'agent' | 'disabled' | null>();

beforeAll(async () => {
  t = await createTestApp();
  t.deps.clock = () => now;
  const admin = await signedInUser(t, 'admin'); // a manager on the ladder (from the role)
  workspaceId = admin.workspaceId;
  managerId = admin.user.id;
  agentId = (await createUser(t.database.db, workspaceId, { role: 'agent' })).id;
  executiveId = (await createUser(t.database.db, workspaceId, { role: 'executive' })).id;
  const lead = await createUser(t.database.db, workspaceId, { role: 'agent', name: 'Lea Lead' });
  leadId = lead.id;
  const put = await admin.client.request('PUT', `/api/v1/users/${leadId}/ladder`, {
    ladderLevel: 'lead',
    teamId: null,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  const gone = await createUser(t.database.db, workspaceId, { role: 'agent' });
  await t.database.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', gone.id).execute();

  // Urgent complaints: first response 60 min, resolution 8 h (warnings at 30 min and 7 h).
  const inserted = await sql<{ id: string }>`
    insert into items (id, workspace_id, kind, channel, subject, priority, status, reply_token, owner_id,
      created_at, updated_at)
    select gen_random_uuid(), ${workspaceId}, 'complaint', 'email', 'Batch item ' || n, 'urgent', 'new',
      md5(${workspaceId}::text || n::text),
      case n % 3 when 0 then ${agentId}::uuid when 1 then ${gone.id}::uuid end,
      ${created}::timestamptz, ${created}::timestamptz
    from generate_series(1, ${itemCount}) n
    returning id`.execute(t.database.db);
  const rows = await t.database.db
    .selectFrom('items')
    .select(['id', 'owner_id'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  expect(inserted.rows).toHaveLength(itemCount);
  for (const row of rows) {
    owners.set(row.id, row.owner_id === agentId ? 'agent' : row.owner_id ? 'disabled' : null);
  }
  const ids = [...owners.keys()];
  for (let start = 0; start < ids.length; start += 500) {
    await refreshItemsSla(t.database.db, workspaceId, ids.slice(start, start + 500), created);
  }
});
afterAll(() => t.close());

/** (item, user, type) → how many notifications; and the same for the emails of the outbox. */
async function notificationCounts() {
  const rows = await sql<{ item_id: string; user_id: string; type: string; n: number }>`
    select item_id, user_id, type, count(*)::int as n from notifications
    where workspace_id = ${workspaceId} group by item_id, user_id, type`.execute(t.database.db);
  return new Map(rows.rows.map((row) => [`${row.item_id} ${row.user_id} ${row.type}`, row.n]));
}

async function countBy(table: 'item_events' | 'audit_log', column: 'type' | 'action') {
  const key = table === 'item_events' ? sql`item_id` : sql`entity_id`;
  const rows = await sql<{ id: string; what: string; n: number }>`
    select ${key} as id, ${sql.ref(column)} as what, count(*)::int as n from ${sql.table(table)}
    where workspace_id = ${workspaceId} and actor_type = 'system' group by 1, 2`.execute(t.database.db);
  return new Map(rows.rows.map((row) => [`${row.id} ${row.what}`, row.n]));
}

async function sweepConcurrently() {
  const runs = await Promise.all([
    sweepSla(t.deps, { batchSize: 700, concurrency: 2 }),
    sweepSla(t.deps, { batchSize: 1_000 }),
    sweepSla(t.deps),
  ]);
  const sum = (key: 'checked' | 'warnings' | 'breaches' | 'escalations') =>
    runs.reduce((total, run) => total + run[key], 0);
  return {
    checked: sum('checked'),
    warnings: sum('warnings'),
    breaches: sum('breaches'),
    escalations: sum('escalations'),
  };
}

describe('a sweep of thousands of due items', () => {
  it('warns every item once, its active owner or else the lead', { timeout: 60_000 }, async () => {
    now = new Date(created.getTime() + minutes(31));
    expect(await sweepConcurrently()).toEqual({
      checked: itemCount,
      warnings: itemCount,
      breaches: 0,
      escalations: 0,
    });
    expect((await sweepSla(t.deps)).checked).toBe(0);
    const counts = await notificationCounts();
    expect(counts.size).toBe(itemCount);
    for (const [id, owner] of owners) {
      expect(counts.get(`${id} ${owner === 'agent' ? agentId : leadId} sla_warning`), id).toBe(1);
    }
    const audits = await countBy('audit_log', 'action');
    expect(audits.size).toBe(itemCount);
    for (const id of owners.keys()) expect(audits.get(`${id} item.sla_warned`)).toBe(1);
  });

  it('after a long outage: both breaches and the whole ladder, each exactly once', {
    timeout: 120_000,
  }, async () => {
    now = new Date(created.getTime() + minutes(16 * 60 + 1));
    expect(await sweepConcurrently()).toEqual({
      checked: itemCount,
      warnings: 0,
      breaches: 2 * itemCount,
      escalations: 3 * itemCount,
    });
    expect((await sweepSla(t.deps, { now: new Date(now.getTime() + minutes(60 * 24 * 30)) })).checked).toBe(
      0,
    );

    const events = await countBy('item_events', 'type');
    const audits = await countBy('audit_log', 'action');
    const notifications = await notificationCounts();
    let expectedNotifications = 0;
    for (const [id, owner] of owners) {
      expect(events.get(`${id} sla_breached`), id).toBe(2);
      expect(events.get(`${id} escalated`), id).toBe(3);
      expect(audits.get(`${id} item.sla_breached`), id).toBe(2);
      expect(audits.get(`${id} item.escalated`), id).toBe(3);
      const responsible = owner === 'agent' ? agentId : leadId;
      const expected = new Map<string, number>([[`${responsible} sla_warning`, 1]]);
      const add = (userId: string, type: string, n = 1) =>
        expected.set(`${userId} ${type}`, (expected.get(`${userId} ${type}`) ?? 0) + n);
      add(responsible, 'sla_breach', 2);
      for (const level of [leadId, managerId, executiveId]) add(level, 'escalation');
      if (owner === 'agent') add(agentId, 'escalation', 3); // the owner hears of every step
      for (const [key, n] of expected) expect(notifications.get(`${id} ${key}`), `${id} ${key}`).toBe(n);
      for (const n of expected.values()) expectedNotifications += n;
    }
    expect([...notifications.values()].reduce((sum, n) => sum + n, 0)).toBe(expectedNotifications);
    expect(events.size).toBe(2 * itemCount);

    // One email per notification, each with its delivery job.
    const mails = await sql<{ mails: number; jobs: number }>`
      select count(*)::int as mails,
        (select count(*)::int from jobs j where j.kind = 'mail.send'
          and (j.payload->>'outboxId')::uuid in (select id from outbox where workspace_id = ${workspaceId})) as jobs
      from outbox where workspace_id = ${workspaceId} and entity = 'notification'`.execute(t.database.db);
    expect(mails.rows[0]).toEqual({ mails: expectedNotifications, jobs: expectedNotifications });

    const items = await sql<{ level: string; n: number; versions: number[]; escalated: Date; next: number }>`
      select escalation_level as level, count(*)::int as n, array_agg(distinct version) as versions,
        max(escalated_at) as escalated, count(sla_next_check_at)::int as next
      from items where workspace_id = ${workspaceId} group by escalation_level`.execute(t.database.db);
    expect(items.rows).toEqual([
      { level: 'executive', n: itemCount, versions: [2], escalated: now, next: 0 },
    ]);
  });
});
