import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoListeningCounts } from '../../src/cli/demo-listening.ts';
import { demoPassword, seedDemo } from '../../src/cli/seed.ts';
import { signedInUser, signIn } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let testApp: TestApp;
let message: string;
const totalItems =
  demoListeningCounts.items + demoListeningCounts.fixedProblemItems + demoListeningCounts.openProblemItems;

beforeAll(async () => {
  testApp = await createTestApp();
  message = await seedDemo(testApp.database.db);
}, 180_000);
afterAll(() => testApp.close());

async function rows<T>(query: ReturnType<typeof sql<T>>) {
  return (await query.execute(testApp.database.db)).rows;
}
async function number(query: ReturnType<typeof sql<{ n: number }>>) {
  return (await rows(query))[0]!.n;
}

describe('rapport seed --demo: the listening register', () => {
  it('creates items, categories, problems, a team with a lead and the SLA settings', async () => {
    expect(message).toMatch(new RegExp(`${totalItems} listening items in 5 categories with 2 problems`));
    expect(await number(sql`select count(*)::int as n from items`)).toBe(totalItems);
    expect(await number(sql`select count(*)::int as n from item_categories`)).toBe(5);
    expect(await number(sql`select count(*)::int as n from sla_policies`)).toBe(24);
    expect(await number(sql`select count(*)::int as n from business_hours`)).toBe(1);
    expect(await number(sql`select count(*)::int as n from escalation_rules`)).toBe(3);
    expect(await number(sql`select count(*)::int as n from teams`)).toBe(1);
    expect(await number(sql`select count(*)::int as n from users where ladder_level = 'lead'`)).toBe(1);
    expect(await number(sql`select count(*)::int as n from users where team_id is not null`)).toBe(3);
    expect(await number(sql`select count(*)::int as n from item_observations`)).toBeGreaterThan(300);
    expect(await number(sql`select count(*)::int as n from item_messages`)).toBeGreaterThan(totalItems);
    expect(await number(sql`select count(*)::int as n from item_votes`)).toBeGreaterThan(20);
    const problems = await rows(sql<{ status: string; n: number }>`
      select p.status, count(i.id)::int as n from problems p join items i on i.problem_id = p.id
      group by p.status order by p.status`);
    expect(problems).toEqual([
      { status: 'fixed', n: demoListeningCounts.fixedProblemItems },
      { status: 'investigating', n: demoListeningCounts.openProblemItems },
    ]);
  });

  it('spreads items over twelve months and across kinds, channels, priorities and statuses', async () => {
    const spread = await rows(sql<{ kinds: number; channels: number; priorities: number; days: number }>`
      select count(distinct kind)::int as kinds, count(distinct channel)::int as channels,
        count(distinct priority)::int as priorities,
        extract(day from max(created_at) - min(created_at))::int as days from items`);
    expect(spread[0]).toMatchObject({ kinds: 6, priorities: 4 });
    expect(spread[0]!.channels).toBeGreaterThanOrEqual(8);
    expect(spread[0]!.days).toBeGreaterThan(330);
    const statuses = (await rows(sql<{ status: string }>`select distinct status from items`)).map(
      (row) => row.status,
    );
    for (const status of ['new', 'acknowledged', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'])
      expect(statuses).toContain(status);
    // Ids are UUIDv7 of the creation time: the queues' "id desc" is "newest first".
    const outOfOrder = await number(sql`
      select count(*)::int as n from (
        select created_at, lag(created_at) over (order by id) as previous from items) t
      where created_at < previous - interval '1 millisecond'`);
    expect(outOfOrder).toBe(0);
  });

  it('gives every item a created event first, and events that never lie in the future', async () => {
    const withoutCreated = await number(sql`
      select count(*)::int as n from items i
      where not exists (select 1 from item_events e where e.item_id = i.id and e.type = 'created')`);
    expect(withoutCreated).toBe(0);
    const createdNotFirst = await number(sql`
      select count(*)::int as n from item_events e join items i on i.id = e.item_id
      where e.created_at < i.created_at`);
    expect(createdNotFirst).toBe(0);
    expect(await number(sql`select count(*)::int as n from item_events where created_at > now()`)).toBe(0);
    const types = (await rows(sql<{ type: string }>`select distinct type from item_events`)).map(
      (row) => row.type,
    );
    for (const type of [
      'created',
      'acknowledged',
      'taken',
      'assigned',
      'replied',
      'resolved',
      'informed',
      'thanked',
      'closed',
      'escalated',
      'sla_breached',
      'observation_added',
      'voted',
    ])
      expect(types).toContain(type);
  });

  it('closes only items whose customer was informed and thanked, or with a reason', async () => {
    const closed = await rows(sql<{ informed: boolean; thanked: boolean; reason: string | null }>`
      select informed_at is not null as informed, thanked_at is not null as thanked, close_reason as reason
      from items where status = 'closed'`);
    expect(closed.length).toBeGreaterThan(100);
    for (const item of closed) expect((item.informed && item.thanked) || item.reason !== null).toBe(true);
    expect(closed.some((item) => item.reason !== null)).toBe(true);
    const closedWithoutEvent = await number(sql`
      select count(*)::int as n from items i where i.status = 'closed'
        and not exists (select 1 from item_events e where e.item_id = i.id and e.type = 'closed')`);
    expect(closedWithoutEvent).toBe(0);
  });

  it('escalates breached items and records the breach and the escalation as events', async () => {
    const breached = await number(sql`
      select count(*)::int as n from items where first_response_breached_at is not null or resolution_breached_at is not null`);
    expect(breached).toBeGreaterThan(10);
    const breachWithoutEvent = await number(sql`
      select count(*)::int as n from items i where i.first_response_breached_at is not null
        and not exists (select 1 from item_events e where e.item_id = i.id and e.type = 'sla_breached')`);
    expect(breachWithoutEvent).toBe(0);
    const levels = (
      await rows(sql<{ level: string }>`select distinct escalation_level as level from items`)
    ).map((row) => row.level);
    expect(levels).toEqual(expect.arrayContaining(['agent', 'lead', 'manager']));
    const escalatedWithoutEvent = await number(sql`
      select count(*)::int as n from items i where i.escalation_level <> 'agent'
        and not exists (select 1 from item_events e where e.item_id = i.id and e.type = 'escalated')`);
    expect(escalatedWithoutEvent).toBe(0);
  });

  it('informs every customer of the fixed problem and plants the vanilla distribution', async () => {
    const linked = await rows(sql<{ informed_at: Date | null; fixed_at: Date }>`
      select i.informed_at, p.fixed_at from items i join problems p on p.id = i.problem_id where p.status = 'fixed'`);
    expect(linked).toHaveLength(demoListeningCounts.fixedProblemItems);
    for (const item of linked)
      expect(item.informed_at!.getTime()).toBeGreaterThanOrEqual(item.fixed_at.getTime());
    const vanilla = await rows(sql<{ linked: boolean; share: number }>`
      select (i.problem_id is not null) as linked,
        avg(case when o.value_key = 'vanilla' then 1 else 0 end)::float as share
      from item_observations o join items i on i.id = o.item_id
      join item_categories c on c.id = i.category_id
      where o.key = 'flavour' and c.name = 'Car won''t start' group by 1 order by 1`);
    expect(vanilla[1]).toEqual({ linked: true, share: 1 });
    expect(vanilla[0]!.share).toBeLessThan(0.5);
  });

  it('is idempotent: a second run adds nothing', async () => {
    const tables = ['items', 'item_events', 'item_messages', 'item_observations', 'problems', 'audit_log'];
    const count = (table: string) => number(sql`select count(*)::int as n from ${sql.table(table)}`);
    const before = await Promise.all(tables.map(count));
    expect(await seedDemo(testApp.database.db)).toMatch(/already has its demo data; nothing was added/);
    expect(await Promise.all(tables.map(count))).toEqual(before);
  });

  it('lists the items through the API, newest first, with their history', async () => {
    const client = testApp.client();
    await signIn(client, 'agent@demo.rapport.test', demoPassword);
    const page = await client.get('/api/v1/items?limit=50');
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(50);
    const created = page.body.data.map((item: { createdAt: string }) => item.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
    const closed = await client.get('/api/v1/items?status=closed&limit=10');
    expect(closed.body.data.length).toBe(10);
    const events = await client.get(`/api/v1/items/${closed.body.data[0].id}/events`);
    expect(events.status).toBe(200);
    expect(events.body.data[0].type).toBe('created');
    expect(events.body.data.map((event: { type: string }) => event.type)).toContain('closed');
  });

  it('fills the queues and shows the vanilla story in the compare panel of the fixed problem', async () => {
    const client = testApp.client();
    await signIn(client, 'exec@demo.rapport.test', demoPassword);
    for (const queue of ['open', 'unowned', 'breached', 'escalated', 'waiting_on_customer']) {
      const page = await client.get(`/api/v1/items?queue=${queue}&limit=5`);
      expect(page.status, queue).toBe(200);
      expect(page.body.data.length, queue).toBeGreaterThan(0);
    }
    const problems = await client.get('/api/v1/problems?status=fixed');
    expect(problems.status).toBe(200);
    expect(problems.body.data).toHaveLength(1);
    const compare = await client.get(`/api/v1/problems/${problems.body.data[0].id}/compare`);
    expect(compare.status).toBe(200);
    expect(compare.body.linkedItems).toBe(demoListeningCounts.fixedProblemItems);
    const flavour = compare.body.keys.find((key: { key: string }) => key.key === 'flavour');
    expect(flavour.values[0]).toMatchObject({ value: 'vanilla', linkedShare: 1 });
    expect(flavour.values[0].othersShare).toBeLessThan(0.5);
    // The two conditions of the story lead (vanilla is sold at the front: short stops), and
    // numbers are compared as ranges rather than as many one-item values.
    const top = compare.body.keys.slice(0, 2).map((key: { key: string }) => key.key);
    expect(top.sort()).toEqual(['flavour', 'minutes_parked']);
    const minutes = compare.body.keys.find((key: { key: string }) => key.key === 'minutes_parked');
    expect(minutes.values.length).toBeLessThanOrEqual(5);
    expect(minutes.values[0].value).toMatch(/^\d+–\d+$/);
  });

  it('another workspace sees none of the demo items', async () => {
    const { client } = await signedInUser(testApp, 'admin');
    const page = await client.get('/api/v1/items?limit=50');
    expect(page.status).toBe(200);
    expect(page.body.data).toEqual([]);
  });
});
