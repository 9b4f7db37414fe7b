import { CompiledQuery, sql, type Updateable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemListQuery } from '../../src/features/items/queues.ts';
import type { ItemsTable } from '../../src/features/items/schema.ts';
import { newId } from '../../src/platform/ids.ts';
import { itemQueues, listItemsQuery } from '../../src/shared/listening.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createItem } from './items-helpers.ts';

let t: TestApp;
let me: Awaited<ReturnType<typeof signedInUser>>;
let colleague: Awaited<ReturnType<typeof signedInUser>>;
const planted: Record<string, string> = {};
const now = Date.now();
const minutes = (n: number) => new Date(now + n * 60_000);
let personId: string;
let organizationId: string;
let categoryId: string;
let problemId: string;

type Columns = Omit<Updateable<ItemsTable>, 'ref' | 'id'>;

async function plant(name: string, body: Record<string, unknown>, columns: Columns = {}) {
  const item = await createItem(me.client, { subject: `${name} subject`, ...body });
  if (Object.keys(columns).length > 0) {
    await t.database.db
      .updateTable('items')
      .set(columns as never)
      .where('id', '=', item.id)
      .execute();
  }
  planted[name] = item.id;
}

beforeAll(async () => {
  t = await createTestApp();
  me = await signedInUser(t, 'agent');
  colleague = await signedInUser(t, 'agent', me.workspaceId);
  const db = t.database.db;
  const team = { id: newId(), workspace_id: me.workspaceId, name: 'Roadside' };
  await db.insertInto('teams').values(team).execute();
  await db.updateTable('users').set({ team_id: team.id }).where('id', '=', me.user.id).execute();
  organizationId = (await me.client.post('/api/v1/organizations', { name: 'Fleet Co' })).body.id;
  personId = (await me.client.post('/api/v1/people', { givenName: 'Pat', organizationId })).body.id;
  categoryId = newId();
  await db
    .insertInto('item_categories')
    .values({ id: categoryId, workspace_id: me.workspaceId, name: 'Engine' })
    .execute();
  problemId = newId();
  await db
    .insertInto('problems')
    .values({ id: problemId, workspace_id: me.workspaceId, title: 'Vapour lock' })
    .execute();

  await plant('unowned', { kind: 'question', channel: 'email', tags: ['fleet'] });
  await plant('mine', { priority: 'high' }, { owner_id: me.user.id, status: 'in_progress' });
  await plant('team', {}, { owner_id: colleague.user.id, team_id: team.id, status: 'in_progress' });
  await plant('waiting', {}, { owner_id: colleague.user.id, status: 'waiting_on_customer' });
  await plant('due_soon', { personId }, { owner_id: colleague.user.id, first_response_due_at: minutes(30) });
  await plant('due_later', {}, { owner_id: colleague.user.id, resolution_due_at: minutes(150) });
  await plant(
    'paused',
    {},
    { owner_id: colleague.user.id, first_response_due_at: minutes(20), sla_paused_at: minutes(-5) },
  );
  await plant(
    'breached',
    { categoryId },
    { owner_id: colleague.user.id, first_response_breached_at: minutes(-60) },
  );
  await plant(
    'escalated',
    {},
    { owner_id: colleague.user.id, escalation_level: 'manager', problem_id: problemId },
  );
  await plant(
    'closed_recently',
    {},
    { owner_id: me.user.id, status: 'closed', closed_at: minutes(-2 * 1440) },
  );
  await plant(
    'closed_long_ago',
    {},
    { owner_id: me.user.id, status: 'closed', closed_at: minutes(-10 * 1440) },
  );
  await plant('resolved_unowned', { kind: 'praise' }, { status: 'resolved', created_at: minutes(-3 * 1440) });
  // Another workspace's items never show.
  const stranger = await signedInUser(t, 'agent');
  await createItem(stranger.client, { subject: 'unowned subject' });
});
afterAll(() => t.close());

async function names(query: string) {
  const response = await me.client.get(`/api/v1/items?${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const byId = Object.fromEntries(Object.entries(planted).map(([name, id]) => [id, name]));
  return (response.body.data as { id: string }[]).map((item) => byId[item.id] ?? item.id);
}

describe('queues', () => {
  it('each returns exactly its planted items, newest first', async () => {
    const all = Object.keys(planted).reverse();
    expect(await names('queue=all')).toEqual(all);
    expect(await names('')).toEqual(all);
    const open = [
      'escalated',
      'breached',
      'paused',
      'due_later',
      'due_soon',
      'waiting',
      'team',
      'mine',
      'unowned',
    ];
    expect(await names('queue=open')).toEqual(open);
    expect(await names('queue=unowned')).toEqual(['unowned']);
    expect(await names('queue=mine')).toEqual(['mine']);
    expect(await names('queue=team')).toEqual(['team']);
    expect(await names('queue=breaching_soon')).toEqual(['due_soon']);
    expect(await names('queue=breached')).toEqual(['breached']);
    expect(await names('queue=escalated')).toEqual(['escalated']);
    expect(await names('queue=waiting_on_customer')).toEqual(['waiting']);
    expect(await names('queue=recently_closed')).toEqual(['closed_recently']);
  });

  it('breaching soon follows the workspace warning window', async () => {
    await t.database.db
      .insertInto('business_hours')
      .values({ workspace_id: me.workspaceId, time_zone: 'UTC', warn_before_minutes: 180 })
      .execute();
    expect(await names('queue=breaching_soon')).toEqual(['due_later', 'due_soon']);
    await t.database.db.deleteFrom('business_hours').where('workspace_id', '=', me.workspaceId).execute();
  });

  it('filters combine with queues', async () => {
    expect(await names('kind=question')).toEqual(['unowned']);
    expect(await names('channel=email')).toEqual(['unowned']);
    expect(await names('priority=high')).toEqual(['mine']);
    expect(await names('status=resolved')).toEqual(['resolved_unowned']);
    expect(await names(`ownerId=${me.user.id}`)).toEqual(['closed_long_ago', 'closed_recently', 'mine']);
    expect(await names(`personId=${personId}`)).toEqual(['due_soon']);
    expect(await names(`organizationId=${organizationId}`)).toEqual(['due_soon']);
    expect(await names(`categoryId=${categoryId}`)).toEqual(['breached']);
    expect(await names(`problemId=${problemId}`)).toEqual(['escalated']);
    expect(await names('tag=fleet')).toEqual(['unowned']);
    expect(await names('escalationLevel=manager')).toEqual(['escalated']);
    expect(await names('breached=true')).toEqual(['breached']);
    expect(await names('queue=open&breached=false')).not.toContain('breached');
    expect(await names('q=DUE_')).toEqual(['due_later', 'due_soon']);
    expect(await names('q=100%25')).toEqual([]);
    // Every word, in any order, anywhere in the subject.
    expect(await names(`q=${encodeURIComponent('SUBJECT  due_soon')}`)).toEqual(['due_soon']);
    expect(await names(`q=${encodeURIComponent('due_soon nowhere')}`)).toEqual([]);
    const { ref } = await t.database.db
      .selectFrom('items')
      .select('ref')
      .where('id', '=', planted.mine!)
      .executeTakeFirstOrThrow();
    expect(await names(`q=${encodeURIComponent(`#${ref}`)}`)).toEqual(['mine']);
    expect(await names(`q=${ref}`)).toEqual(['mine']);
    expect(await names(`createdBefore=${encodeURIComponent(minutes(-1440).toISOString())}`)).toEqual([
      'resolved_unowned',
    ]);
    expect(
      await names(`queue=open&createdAfter=${encodeURIComponent(minutes(-60).toISOString())}&kind=question`),
    ).toEqual(['unowned']);
  });

  it('pages by keyset without gaps or repeats', async () => {
    const seen: string[] = [];
    let after = '';
    for (let page = 0; page < 10; page += 1) {
      const response = await me.client.get(`/api/v1/items?limit=5${after ? `&after=${after}` : ''}`);
      seen.push(...response.body.data.map((item: { id: string }) => item.id));
      if (!response.body.next) break;
      after = response.body.next;
    }
    expect(seen).toEqual(Object.values(planted).reverse());
    const closed = await me.client.get('/api/v1/items?queue=recently_closed&limit=1');
    expect(closed.body.next).toBeNull();
    const bad = await me.client.get('/api/v1/items?after=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('query.after');
  });
});

/** EXPLAIN of GET /api/v1/items with these query parameters, as me, as one text. */
async function planOf(query: Record<string, string>) {
  const db = t.database.db;
  const compiled = itemListQuery(
    db,
    { workspaceId: me.workspaceId, userId: me.user.id, now: new Date(now), warnMinutes: 60 },
    listItemsQuery.parse(query),
    null,
  ).compile();
  const plan = await db.executeQuery<{ 'QUERY PLAN': string }>(
    CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]),
  );
  return plan.rows.map((row) => row['QUERY PLAN']).join('\n');
}

describe('query plans', () => {
  it('every queue reads an index, without sorting the whole table', async () => {
    const db = t.database.db;
    await sql`set enable_seqscan = off`.execute(db);
    try {
      for (const queue of itemQueues) {
        const text = await planOf({ queue });
        if (process.env.SHOW_PLANS) console.log(`${queue}:\n${text}`);
        expect(text, `${queue}:\n${text}`).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
        expect(text, `${queue}:\n${text}`).not.toMatch(/Seq Scan on items/);
      }
    } finally {
      await sql`reset enable_seqscan`.execute(db);
    }
  });

  it('reads escalated items that are not breached from their own index (migration 0023)', async () => {
    expect(await planOf({ queue: 'escalated', breached: 'false' })).toMatch(/items_escalated_unbreached_idx/);
  });

  it('reads the unowned queue filtered by a tag from its own index (migration 0024)', async () => {
    const db = t.database.db;
    // Enough unowned items, one in a hundred tagged, for the planner to weigh the indexes as on
    // 1M items (with a handful it would walk the queue's own index, whatever the tag).
    await sql`insert into items (id, workspace_id, kind, channel, subject, reply_token, tags)
      select gen_random_uuid(), ${me.workspaceId}, 'complaint', 'email', 'Filler ' || g, 'filler-' || g,
        case when g % 100 = 0 then array['press'] else array['other'] end
      from generate_series(1, 3000) g`.execute(db);
    await sql`analyze items`.execute(db);
    try {
      const text = await planOf({ queue: 'unowned', tag: 'press' });
      expect(text).toMatch(/Bitmap Index Scan on items_unowned_tags_idx/);
      expect(text).not.toMatch(/BitmapAnd/);
    } finally {
      await sql`delete from items where reply_token like 'filler-%'`.execute(db);
    }
  });
});

describe('closing the loop', () => {
  it("keeps a resolved item in its owner's and team's queues until it is closed", async () => {
    await plant('mine_resolved', {}, { owner_id: me.user.id, status: 'resolved', resolved_at: minutes(-1) });
    await plant('team_resolved', {}, { owner_id: colleague.user.id, status: 'resolved' });
    await t.database.db
      .updateTable('items')
      .set({ team_id: sql<string>`(select team_id from users where id = ${me.user.id})` })
      .where('id', '=', planted.team_resolved!)
      .execute();
    expect(await names('queue=mine')).toEqual(['mine_resolved', 'mine']);
    expect(await names('queue=team')).toEqual(['team_resolved', 'team']);
    expect(await names('queue=open')).not.toContain('mine_resolved');
    await t.database.db
      .updateTable('items')
      .set({ status: 'closed', closed_at: new Date() })
      .where('id', 'in', [planted.mine_resolved!, planted.team_resolved!])
      .execute();
    expect(await names('queue=mine')).toEqual(['mine']);
    expect(await names('queue=team')).toEqual(['team']);
  });
});
