import fc from 'fast-check';
import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import type { MetricFilter } from '../../src/shared/metrics.ts';
import { createUser, createWorkspace } from './factories.ts';

/**
 * Random item registers for the metric equality tests (tests/api/metrics-rollup*.test.ts,
 * metrics-day-rollup.test.ts): planned items with random lifecycles, inserted in one statement, and
 * changes applied the way the writers make them.
 */
export const zones = ['UTC', 'Europe/Amsterdam', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
export const kinds = ['complaint', 'request', 'question', 'suggestion', 'praise', 'opinion'] as const;
export const channels = ['email', 'phone', 'portal', 'chat'] as const;
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export const levels = ['agent', 'lead', 'manager', 'executive'] as const;
export const tags = ['vip', 'press', 'repeat'] as const;
export const BASE = Date.parse('2026-02-20T00:00:00Z');
export const MINUTE = 60_000;
// Two and a half months in minutes: the periods cross both European and American DST switches.
export const SPAN = 75 * 24 * 60;

export const later = fc.option(fc.integer({ min: 0, max: 20 * 24 * 60 }), { nil: null });
export const plannedItem = fc.record({
  kind: fc.constantFrom(...kinds),
  channel: fc.constantFrom(...channels),
  priority: fc.constantFrom(...priorities),
  withCategory: fc.boolean(),
  withTeam: fc.boolean(),
  withOwner: fc.boolean(),
  withOrganization: fc.boolean(),
  tags: fc.subarray([...tags]),
  created: fc.integer({ min: 0, max: SPAN }),
  firstResponse: later,
  firstResponseDue: later,
  resolutionDue: later,
  firstResponseBreached: later,
  resolutionBreached: later,
  resolved: later,
  closedAfterResolved: later,
  informed: fc.boolean(),
  thanked: fc.boolean(),
  level: fc.constantFrom(...levels),
  staffReplies: fc.integer({ min: 0, max: 3 }),
  handlingMinutes: fc.option(fc.integer({ min: 0, max: 240 }), { nil: null }),
  toldOfFix: fc.option(fc.integer({ min: 0, max: 30 * 24 * 60 }), { nil: null }),
});
export type PlannedItem = typeof plannedItem extends fc.Arbitrary<infer T> ? T : never;

export const change = fc.record({
  item: fc.nat(),
  other: fc.nat(),
  op: fc.constantFrom(
    'resolve',
    'reopen',
    'close',
    'merge',
    'escalate',
    'reassign',
    'retag',
    'recategorise',
    'rekind',
    'status',
    'delete',
  ),
  minutes: fc.integer({ min: 0, max: 10 * 24 * 60 }),
});
export type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;

export const filterChoice = fc.constantFrom(
  'none',
  'kind',
  'channels',
  'priority',
  'category',
  'team',
  'owner',
  'organization',
  'tag',
  'kind+team',
);

export interface World {
  workspaceId: string;
  ownerId: string;
  teamId: string;
  categoryId: string;
  organizationId: string;
  problemId: string;
}

export async function newWorld(db: Db, timeZone: string): Promise<World> {
  const workspace = await createWorkspace(db);
  const owner = await createUser(db, workspace.id, { role: 'agent' });
  const world = {
    workspaceId: workspace.id,
    ownerId: owner.id,
    teamId: newId(),
    categoryId: newId(),
    organizationId: newId(),
    problemId: newId(),
  };
  await sql`insert into business_hours (workspace_id, time_zone) values (${world.workspaceId}, ${timeZone})`.execute(
    db,
  );
  await sql`insert into teams (id, workspace_id, name) values (${world.teamId}, ${world.workspaceId}, 'Care')`.execute(
    db,
  );
  await sql`insert into item_categories (id, workspace_id, name) values (${world.categoryId}, ${world.workspaceId}, 'Billing')`.execute(
    db,
  );
  await sql`insert into organizations (id, workspace_id, name, sort_name, search_name, search_text)
    values (${world.organizationId}, ${world.workspaceId}, 'Acme', 'acme', 'acme', 'acme')`.execute(db);
  await sql`insert into problems (id, workspace_id, title, hypothesis, status)
    values (${world.problemId}, ${world.workspaceId}, 'Wrong VAT', '', 'fixed')`.execute(db);
  // Prices change mid-period (the cost metrics use the version in force on the creation day).
  await sql`insert into cost_settings (id, workspace_id, effective_from, currency, hourly_cost, per_contact, handling_minutes)
    values (${newId()}, ${world.workspaceId}, '2026-03-01', 'EUR', 60, '{"phone": 6, "email": 3}', '{"phone": 10, "email": 5}'),
      (${newId()}, ${world.workspaceId}, '2026-03-30', 'EUR', 90, '{"phone": 5, "portal": 0.1}', '{"chat": 7}')`.execute(
    db,
  );
  return world;
}

export const at = (minutes: number) => new Date(BASE + minutes * MINUTE).toISOString();
export const after = (from: number, minutes: number | null) => (minutes === null ? null : at(from + minutes));

/** Inserts the items in one statement (one transition table for the statement trigger). */
export async function insertItems(db: Db, world: World, planned: PlannedItem[]): Promise<string[]> {
  if (planned.length === 0) return [];
  const ids = planned.map(() => newId());
  const rows = planned.map((item, index) => {
    const resolved = after(item.created, item.resolved);
    return {
      id: ids[index],
      workspace_id: world.workspaceId,
      kind: item.kind,
      channel: item.channel,
      priority: item.priority,
      subject: 'generated',
      reply_token: ids[index]!.replaceAll('-', ''),
      category_id: item.withCategory ? world.categoryId : null,
      team_id: item.withTeam ? world.teamId : null,
      owner_id: item.withOwner ? world.ownerId : null,
      organization_id: item.withOrganization ? world.organizationId : null,
      tags: item.tags,
      created_at: at(item.created),
      first_responded_at: after(item.created, item.firstResponse),
      first_response_due_at: after(item.created, item.firstResponseDue),
      resolution_due_at: after(item.created, item.resolutionDue),
      first_response_breached_at: after(item.created, item.firstResponseBreached),
      resolution_breached_at: after(item.created, item.resolutionBreached),
      resolved_at: resolved,
      closed_at:
        resolved && item.closedAfterResolved !== null
          ? after(item.created + (item.resolved ?? 0), item.closedAfterResolved)
          : null,
      status: resolved ? (item.closedAfterResolved !== null ? 'closed' : 'resolved') : 'new',
      informed_at: resolved && item.informed ? resolved : null,
      thanked_at: resolved && item.thanked ? resolved : null,
      escalation_level: item.level,
      escalated_at: item.level === 'agent' ? null : at(item.created + 30),
      staff_reply_count: item.staffReplies,
      handling_minutes: item.handlingMinutes,
    };
  });
  await db
    .insertInto('items')
    .values(rows as never)
    .execute();
  const told = planned.flatMap((item, index) =>
    item.toldOfFix === null
      ? []
      : [
          {
            id: newId(),
            workspace_id: world.workspaceId,
            item_id: ids[index],
            type: 'informed',
            actor_type: 'system',
            data: JSON.stringify({ problemId: world.problemId }),
            created_at: at(item.created + item.toldOfFix),
          },
        ],
  );
  if (told.length > 0)
    await db
      .insertInto('item_events')
      .values(told as never)
      .execute();
  return ids;
}

/** Applies a change the way the writers do: an UPDATE (or DELETE) of the item row. */
export async function apply(db: Db, world: World, ids: string[], withEvents: Set<string>, step: Change) {
  const live = ids.filter((id) => id !== '');
  if (live.length === 0) return;
  const id = live[step.item % live.length]!;
  const other = live[step.other % live.length]!;
  const minutes = `${step.minutes} minutes`;
  switch (step.op) {
    case 'resolve':
      await sql`update items set status = 'resolved', resolved_at = created_at + ${minutes}::interval,
        staff_reply_count = staff_reply_count + 1 where id = ${id}`.execute(db);
      break;
    case 'reopen':
      await sql`update items set status = 'reopened', resolved_at = null, closed_at = null,
        reopened_count = reopened_count + 1 where id = ${id} and resolved_at is not null`.execute(db);
      break;
    case 'close':
      await sql`update items set status = 'closed', closed_at = coalesce(resolved_at, created_at) + ${minutes}::interval,
        thanked_at = case when ${step.minutes % 2 === 0} then now() end where id = ${id}`.execute(db);
      break;
    case 'merge':
      if (id !== other)
        await sql`update items set merged_into_id = ${other}, status = 'closed', closed_at = created_at + ${minutes}::interval
          where id = ${id} and merged_into_id is null and not exists
            (select 1 from items s where s.id = ${other} and s.merged_into_id is not null)`.execute(db);
      break;
    case 'escalate':
      await sql`update items set escalation_level = case escalation_level when 'agent' then 'lead'
          when 'lead' then 'manager' else 'executive' end,
        escalated_at = coalesce(escalated_at, created_at + ${minutes}::interval) where id = ${id}`.execute(
        db,
      );
      break;
    case 'reassign':
      await sql`update items set owner_id = case when owner_id is null then ${world.ownerId}::uuid end,
        team_id = case when team_id is null then ${world.teamId}::uuid end where id = ${id}`.execute(db);
      break;
    case 'retag':
      await sql`update items set tags = case when 'vip' = any(tags) then array_remove(tags, 'vip')
        else tags || array['vip'] end where id = ${id}`.execute(db);
      break;
    case 'recategorise':
      await sql`update items set category_id = case when category_id is null then ${world.categoryId}::uuid end,
        organization_id = case when organization_id is null then ${world.organizationId}::uuid end,
        priority = case priority when 'urgent' then 'low' else 'urgent' end where id = ${id}`.execute(db);
      break;
    case 'rekind':
      await sql`update items set kind = case kind when 'complaint' then 'question' else 'complaint' end,
        channel = case channel when 'email' then 'phone' else 'email' end,
        handling_minutes = ${step.minutes % 90} where id = ${id}`.execute(db);
      break;
    case 'status':
      // A change the facts do not follow: the update trigger's WHEN leaves them alone.
      await sql`update items set status = 'in_progress', subject = 'renamed', version = version + 1 where id = ${id}`.execute(
        db,
      );
      break;
    case 'delete':
      // Items with events are never deleted by the app (events are append-only); duplicates merged
      // into this one are set free by the foreign key (an UPDATE the trigger follows).
      if (!withEvents.has(id)) {
        await sql`delete from items where id = ${id}`.execute(db);
        ids[ids.indexOf(id)] = '';
      }
      break;
  }
}

export function filterOf(choice: string, world: World): MetricFilter {
  switch (choice) {
    case 'kind':
      return { kind: ['complaint'] };
    case 'channels':
      return { channel: ['email', 'phone'] };
    case 'priority':
      return { priority: ['urgent'] };
    case 'category':
      return { categoryId: world.categoryId };
    case 'team':
      return { teamId: world.teamId };
    case 'owner':
      return { ownerId: world.ownerId };
    case 'organization':
      return { organizationId: world.organizationId };
    case 'tag':
      return { tag: 'vip' };
    case 'kind+team':
      return { kind: ['complaint', 'question'], teamId: world.teamId };
    default:
      return {};
  }
}
