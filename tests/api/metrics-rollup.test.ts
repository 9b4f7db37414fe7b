import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricCatalogue } from '../../src/features/metrics/catalogue.ts';
import type { MetricDefinition } from '../../src/features/metrics/definition.ts';
import { runMetric, workspaceTimeZone } from '../../src/features/metrics/run.ts';
import { itemsScope } from '../../src/features/metrics/scope.ts';
import { newId } from '../../src/platform/ids.ts';
import type { MetricFilter, MetricInterval } from '../../src/shared/metrics.ts';
import { createUser, createWorkspace } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Metrics read `metric_item_facts`, kept equal to `items` by the triggers of 0019_metric_facts, and
 * bucket by width_bucket over the bucket bounds. This property test builds random registers —
 * items with random lifecycles written through inserts (one statement for many items, as COPY
 * does), then updates like the writers make (resolve, reopen, close, merge, escalate, reassign,
 * retag, recategorise, status-only changes) and deletes — in random time zones, and checks that:
 *  - the fact table equals the projection of `items`, row for row;
 *  - every metric of the catalogue, for a random period, interval and filter, gives the same
 *    series and total from the facts as from `items` (`source: 'raw'`);
 *  - the ratio, count and percentile metrics also equal the former computation (a time-zone
 *    conversion and a date formatting per row, grouped by the formatted date) run on `items`.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const zones = ['UTC', 'Europe/Amsterdam', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
const kinds = ['complaint', 'request', 'question', 'suggestion', 'praise', 'opinion'] as const;
const channels = ['email', 'phone', 'portal', 'chat'] as const;
const priorities = ['low', 'normal', 'high', 'urgent'] as const;
const levels = ['agent', 'lead', 'manager', 'executive'] as const;
const tags = ['vip', 'press', 'repeat'] as const;
const BASE = Date.parse('2026-02-20T00:00:00Z');
const MINUTE = 60_000;
// Two and a half months in minutes: the periods cross both European and American DST switches.
const SPAN = 75 * 24 * 60;

const later = fc.option(fc.integer({ min: 0, max: 20 * 24 * 60 }), { nil: null });
const plannedItem = fc.record({
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
type PlannedItem = typeof plannedItem extends fc.Arbitrary<infer T> ? T : never;

const change = fc.record({
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
type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;

const filterChoice = fc.constantFrom(
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

interface World {
  workspaceId: string;
  ownerId: string;
  teamId: string;
  categoryId: string;
  organizationId: string;
  problemId: string;
}

async function newWorld(timeZone: string): Promise<World> {
  const db = t.database.db;
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

const at = (minutes: number) => new Date(BASE + minutes * MINUTE).toISOString();
const after = (from: number, minutes: number | null) => (minutes === null ? null : at(from + minutes));

/** Inserts the items in one statement (one transition table for the statement trigger). */
async function insertItems(world: World, planned: PlannedItem[]): Promise<string[]> {
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
  await t.database.db
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
    await t.database.db
      .insertInto('item_events')
      .values(told as never)
      .execute();
  return ids;
}

/** Applies a change the way the writers do: an UPDATE (or DELETE) of the item row. */
async function apply(world: World, ids: string[], withEvents: Set<string>, step: Change) {
  const db = t.database.db;
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

const factColumns = sql.raw(`id, workspace_id, kind, channel, priority, category_id, team_id, owner_id,
  organization_id, tags, merged_into_id, escalation_level, escalated_at, created_at, first_response_due_at,
  resolution_due_at, first_responded_at, first_response_breached_at, resolution_breached_at, resolved_at,
  informed_at, thanked_at, closed_at, reopened_count, staff_reply_count, handling_minutes`);

async function factsDifferFromItems(workspaceId: string): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from (
      (select ${factColumns} from items where workspace_id = ${workspaceId}
       except all select ${factColumns} from metric_item_facts where workspace_id = ${workspaceId})
      union all
      (select ${factColumns} from metric_item_facts where workspace_id = ${workspaceId}
       except all select ${factColumns} from items where workspace_id = ${workspaceId})
    ) d`.execute(t.database.db);
  return result.rows[0]!.n;
}

function filterOf(choice: string, world: World): MetricFilter {
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

/** The former standard computation: each row's local bucket formatted, then grouped, on `items`. */
async function formerStandard(
  definition: MetricDefinition,
  workspaceId: string,
  query: { from: string; to: string; interval: MetricInterval } & MetricFilter,
): Promise<Map<string, { value?: number | null; n?: number; num?: number; den?: number }>> {
  const compute = definition.compute;
  if (compute.kind === 'custom') throw new Error('standard metrics only');
  const { from, to, interval, ...filter } = query;
  const tz = await workspaceTimeZone(t.database.db, workspaceId);
  const anchor = sql.ref(`i.${compute.anchor}`);
  const where = sql`${itemsScope(workspaceId, filter)} and ${anchor} >= (${from}::timestamp at time zone ${tz})
    and ${anchor} < ((${to}::date + 1)::timestamp at time zone ${tz})${compute.where ? sql` and (${compute.where})` : sql``}`;
  const bucket = sql`to_char(date_trunc(${interval}, ${anchor} at time zone ${tz}), 'YYYY-MM-DD')`;
  if (compute.kind === 'percentile') {
    const result = await sql<{ start: string | null; value: number | null; n: number }>`
      select start, percentile_cont(${compute.p}) within group (order by value) as value, count(*)::int as n
      from (select ${bucket} as start, (${compute.value})::float8 as value from items i where ${where}) x
      where value is not null group by grouping sets ((start), ())`.execute(t.database.db);
    const round = (v: number | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);
    return new Map(result.rows.map((row) => [row.start ?? 'total', { value: round(row.value), n: row.n }]));
  }
  const numerator = compute.kind === 'ratio' ? compute.numerator : sql`true`;
  const denominator = compute.kind === 'ratio' ? (compute.denominator ?? sql`true`) : sql`true`;
  const result = await sql<{ start: string | null; num: number; den: number }>`
    select ${bucket} as start, count(*) filter (where ${numerator})::int as num,
      count(*) filter (where ${denominator})::int as den
    from items i where ${where} group by grouping sets ((1), ())`.execute(t.database.db);
  return new Map(result.rows.map((row) => [row.start ?? 'total', { num: row.num, den: row.den }]));
}

describe('metric facts and the raw items give the same metrics', () => {
  it('for random registers, lifecycles, time zones, periods and filters', async () => {
    let measured = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...zones),
        fc.array(plannedItem, { minLength: 1, maxLength: 40 }),
        fc.array(plannedItem, { maxLength: 10 }),
        fc.array(change, { maxLength: 30 }),
        fc.constantFrom<MetricInterval>('day', 'week', 'month'),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 60 }),
        filterChoice,
        async (timeZone, firstBatch, secondBatch, changes, interval, startDay, days, choice) => {
          const world = await newWorld(timeZone);
          const ids = await insertItems(world, firstBatch);
          const second = await insertItems(world, secondBatch);
          const withEvents = new Set(
            [...ids, ...second].filter(
              (_, index) => [...firstBatch, ...secondBatch][index]!.toldOfFix !== null,
            ),
          );
          const half = Math.floor(changes.length / 2);
          for (const step of changes.slice(0, half)) await apply(world, ids, withEvents, step);
          ids.push(...second);
          for (const step of changes.slice(half)) await apply(world, ids, withEvents, step);

          expect(await factsDifferFromItems(world.workspaceId)).toBe(0);

          const day = (offset: number) => new Date(BASE + offset * 86_400_000).toISOString().slice(0, 10);
          const query = {
            from: day(startDay),
            to: day(startDay + days),
            interval,
            ...filterOf(choice, world),
          };
          for (const definition of metricCatalogue) {
            const fromFacts = await runMetric(t.database.db, world.workspaceId, definition, query);
            const fromItems = await runMetric(t.database.db, world.workspaceId, definition, query, {
              source: 'raw',
            });
            expect(fromFacts, definition.name).toEqual(fromItems);
            if (definition.compute.kind === 'custom') continue;
            const former = await formerStandard(definition, world.workspaceId, query);
            const points = [...fromFacts.series, { start: 'total', ...fromFacts.total }];
            for (const point of points) {
              const expected = former.get(point.start);
              if (definition.compute.kind === 'percentile') {
                expect(point.value, `${definition.name} ${point.start}`).toEqual(expected?.value ?? null);
                expect(point.denominator, `${definition.name} ${point.start}`).toEqual(expected?.n ?? 0);
              } else {
                expect(point.numerator, `${definition.name} ${point.start}`).toEqual(expected?.num ?? 0);
                if (definition.compute.kind === 'ratio')
                  expect(point.denominator, `${definition.name} ${point.start}`).toEqual(expected?.den ?? 0);
              }
              if ((point.denominator ?? point.numerator ?? 0) > 0) measured++;
            }
            // No bucket of the former computation is left out of the series.
            for (const start of former.keys())
              expect(
                points.some((point) => point.start === start),
                `${definition.name} ${start}`,
              ).toBe(true);
          }
        },
      ),
      { numRuns: 15 },
    );
    // The registers are not all empty: many buckets had something to count.
    expect(measured).toBeGreaterThan(50);
  }, 900_000);

  it('overwrites a stale fact when its item is inserted (a restore may load the facts first), and follows a truncate', async () => {
    const world = await newWorld('Europe/Amsterdam');
    const db = t.database.db;
    const planned = fc
      .sample(plannedItem, { numRuns: 3, seed: 7 })
      .map((item) => ({ ...item, toldOfFix: null }));
    const [id] = await insertItems(world, planned);
    const copy = await sql<Record<string, unknown>>`select * from items where id = ${id}`.execute(db);
    const { ref: _ref, ...row } = copy.rows[0]!;
    await sql`delete from items where id = ${id}`.execute(db);
    expect(await factsDifferFromItems(world.workspaceId)).toBe(0);
    await sql`insert into metric_item_facts (id, workspace_id, kind, channel, priority, escalation_level, created_at)
      values (${id}, ${world.workspaceId}, 'praise', 'letter', 'low', 'agent', now())`.execute(db);
    await db
      .insertInto('items')
      .values(row as never)
      .execute();
    expect(await factsDifferFromItems(world.workspaceId)).toBe(0);
    await sql`truncate items cascade`.execute(db);
    const left = await sql<{ n: number }>`select count(*)::int as n from metric_item_facts`.execute(db);
    expect(left.rows[0]!.n).toBe(0);
  });
});
