import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The items behind the custom metrics — hand-computed. Amsterdam workspace; the week of 23 March
 * 2026 ends at local midnight of Monday 30 March = 2026-03-29T22:00Z (summer time began on the 29th).
 *
 *   O1  complaint email, created 5 Mar, open, unowned
 *   O2  complaint email, created 25 Mar, owned, resolved 29 Mar 22:30Z (after the end: open then)
 *   O3  complaint email, created 29 Mar 22:30Z = 00:30 on 30 March local (the next week)
 *   O4  complaint phone, created 10 Mar, closed 29 Mar 21:30Z (before the end)
 *   O5  complaint email, created 20 Feb, owned, first response breached 28 Mar
 *   D   a duplicate merged into O1
 *   P1  request phone, created 24 Mar, 30 handling minutes recorded
 *   Q1  question phone, created 26 Mar
 * Cost settings from 1 March: 60/hour; per contact email 3, phone 6; estimates email 5 min, phone 10 min.
 */
let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let other: Awaited<ReturnType<typeof signedInUser>>;
let ws: string;
const ids: Record<string, string> = {};

async function plant(name: string, fields: Record<string, unknown>, workspaceId = ws) {
  const id = newId();
  ids[name] = id;
  await t.database.db
    .insertInto('items')
    .values({
      id,
      workspace_id: workspaceId,
      kind: 'complaint',
      channel: 'email',
      subject: name,
      reply_token: newId().replaceAll('-', ''),
      ...fields,
    } as never)
    .execute();
  return id;
}

async function informed(itemId: string, at: string, data: Record<string, unknown>) {
  await t.database.db
    .insertInto('item_events')
    .values({
      id: newId(),
      workspace_id: ws,
      item_id: itemId,
      type: 'informed',
      actor_type: 'user',
      data: JSON.stringify(data),
      created_at: at,
    } as never)
    .execute();
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  other = await signedInUser(t, 'admin');
  ws = admin.workspaceId;
  const owner = admin.user.id;
  await t.database.db
    .insertInto('business_hours')
    .values({ workspace_id: ws, time_zone: 'Europe/Amsterdam' })
    .execute();
  await plant('O1', { created_at: '2026-03-05T00:00:00Z' });
  await plant('O2', {
    created_at: '2026-03-25T10:00:00Z',
    owner_id: owner,
    resolved_at: '2026-03-29T22:30:00Z',
  });
  await plant('O3', { created_at: '2026-03-29T22:30:00Z' });
  await plant('O4', {
    created_at: '2026-03-10T00:00:00Z',
    channel: 'phone',
    closed_at: '2026-03-29T21:30:00Z',
  });
  await plant('O5', {
    created_at: '2026-02-20T00:00:00Z',
    owner_id: owner,
    first_response_breached_at: '2026-03-28T10:00:00Z',
  });
  await plant('D', {
    created_at: '2026-03-01T00:00:00Z',
    merged_into_id: ids.O1,
    closed_at: '2026-03-02T00:00:00Z',
  });
  await plant('P1', {
    created_at: '2026-03-24T10:00:00Z',
    kind: 'request',
    channel: 'phone',
    handling_minutes: 30,
    owner_id: owner,
    resolved_at: '2026-03-24T12:00:00Z',
  });
  await plant('Q1', {
    created_at: '2026-03-26T10:00:00Z',
    kind: 'question',
    channel: 'phone',
    owner_id: owner,
    resolved_at: '2026-03-26T12:00:00Z',
  });
  await plant('X', { created_at: '2026-03-05T00:00:00Z' }, other.workspaceId);
  const problemId = newId();
  await informed(ids.O4!, '2026-03-27T10:00:00Z', { how: 'email', problemId });
  await informed(ids.D!, '2026-03-28T10:00:00Z', { how: 'email', problemId });
  await informed(ids.P1!, '2026-03-27T10:00:00Z', { how: 'phone' }); // not a problem fix
  await informed(ids.O2!, '2026-03-30T10:00:00Z', { how: 'email', problemId }); // the next week
  const costs = await admin.client.post('/api/v1/cost-settings', {
    effectiveFrom: '2026-03-01',
    currency: 'EUR',
    hourlyCost: 60,
    perContact: { phone: 6, email: 3 },
    handlingMinutes: { phone: 10, email: 5 },
  });
  expect(costs.status).toBe(201);
  const article = newId();
  await t.database.db
    .insertInto('kb_articles')
    .values({ id: article, workspace_id: ws, title: 'How to' } as never)
    .execute();
  await t.database.db
    .insertInto('kb_feedback')
    .values({
      id: newId(),
      workspace_id: ws,
      article_id: article,
      helpful: true,
      context: 'browse',
      created_at: '2026-03-25T10:00:00Z',
    } as never)
    .execute();
});
afterAll(() => t.close());

const week = 'from=2026-03-23&to=2026-03-29&interval=week';
type Items = {
  data: { id: string; subject: string; at: string; inNumerator: boolean | null; value?: number | null }[];
  note: string | null;
};
async function items(name: string, query = week, client = admin.client): Promise<Items> {
  const response = await client.get(`/api/v1/metrics/${name}/items?${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}
async function total(name: string, query = week) {
  const response = await admin.client.get(`/api/v1/metrics/${name}?${query}`);
  expect(response.status).toBe(200);
  return response.body.total as {
    value: number | null;
    numerator: number | null;
    denominator: number | null;
  };
}
const subjects = (body: Items) => body.data.map((item) => item.subject);

describe('backlog: the items open at the snapshot that meet the condition', () => {
  it('open: O2 O1 O5, newest first — as many as the number', async () => {
    const body = await items('backlog_open');
    expect(subjects(body)).toEqual(['O2', 'O1', 'O5']);
    expect(body.data[0]).toMatchObject({ id: ids.O2, at: '2026-03-25T10:00:00.000Z', inNumerator: null });
    expect(body.note).toBeNull();
    expect((await total('backlog_open')).value).toBe(3);
  });

  it('unowned O1; breached O5; older than 7 days O1 O5; older than 30 days O5', async () => {
    expect(subjects(await items('backlog_unowned'))).toEqual(['O1']);
    expect(subjects(await items('backlog_breached'))).toEqual(['O5']);
    expect(subjects(await items('backlog_age_over_7_days'))).toEqual(['O1', 'O5']);
    expect(subjects(await items('backlog_age_over_30_days'))).toEqual(['O5']);
  });

  it('every backlog metric lists as many items as it counts, within a filter too', async () => {
    for (const name of [
      'backlog_open',
      'backlog_unowned',
      'backlog_breached',
      'backlog_age_over_7_days',
      'backlog_age_over_30_days',
    ]) {
      for (const query of [week, `${week}&channel=email`, 'from=2026-03-16&to=2026-03-22&interval=week']) {
        expect((await items(name, query)).data.length, `${name} ${query}`).toBe(
          (await total(name, query)).value,
        );
      }
    }
  });

  it('a period still to come has no items', async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    expect((await items('backlog_open', `from=${day(7)}&to=${day(13)}`)).data).toEqual([]);
  });
});

describe('costs: the items created in the period, each priced', () => {
  it('Q1 phone estimate 10/60 × 60 + 6 = 16; O2 email 5/60 × 60 + 3 = 8; P1 phone recorded 30/60 × 60 + 6 = 36', async () => {
    const body = await items('total_service_cost');
    expect(body.data.map((item) => [item.subject, item.value])).toEqual([
      ['Q1', 16],
      ['O2', 8],
      ['P1', 36],
    ]);
    expect((await total('total_service_cost')).value).toBe(60);
  });

  it('cost per request lists the same items it averages over: 60 / 3 = 20', async () => {
    const body = await items('cost_per_request');
    expect(subjects(body)).toEqual(['Q1', 'O2', 'P1']);
    expect(await total('cost_per_request')).toEqual({ value: 20, numerator: 60, denominator: 3 });
  });

  it('the prices add up to the total over a longer period and a filter', async () => {
    for (const query of ['from=2026-02-01&to=2026-04-30&interval=month', `${week}&channel=phone`]) {
      const body = await items('total_service_cost', query);
      const sum = body.data.reduce((acc, item) => acc + (item.value ?? 0), 0);
      expect(Math.round(sum * 100) / 100, query).toBe((await total('total_service_cost', query)).value);
    }
  });
});

describe('self-service share and problem fix reach', () => {
  it('self-service: the staff-handled requests and questions Q1 P1 (1 helpful answer is not an item)', async () => {
    const body = await items('self_service_share');
    expect(body.data.map((item) => [item.subject, item.inNumerator])).toEqual([
      ['Q1', false],
      ['P1', false],
    ]);
    expect(body.note).toMatch(/Knowledge-base answers .* are not items/);
    expect(await total('self_service_share')).toEqual({ value: 33.33, numerator: 1, denominator: 3 });
  });

  it('fix reach: the customers informed of a fix in the week, D (merged into O1) and O4', async () => {
    const body = await items('problem_fix_reach');
    expect(body.data.map((item) => [item.subject, item.at])).toEqual([
      ['D', '2026-03-28T10:00:00.000Z'],
      ['O4', '2026-03-27T10:00:00.000Z'],
    ]);
    expect((await total('problem_fix_reach')).value).toBe(2);
    // The filter applies to the surviving item: D counts as O1 (email), O4 came by phone.
    expect(subjects(await items('problem_fix_reach', `${week}&channel=phone`))).toEqual(['O4']);
  });
});

describe('every metric has a drill-down, within the workspace', () => {
  it('no metric of the catalogue answers 409 any more', async () => {
    const catalogue = await admin.client.get('/api/v1/metrics');
    for (const { name } of catalogue.body.data as { name: string }[]) {
      const response = await admin.client.get(`/api/v1/metrics/${name}/items?${week}`);
      expect(response.status, name).toBe(200);
    }
  });

  it("another workspace sees only its own items (X), never this workspace's", async () => {
    expect(subjects(await items('backlog_open', week, other.client))).toEqual(['X']);
    expect((await items('total_service_cost', week, other.client)).data).toEqual([]);
    expect((await items('problem_fix_reach', week, other.client)).data).toEqual([]);
    expect((await items('self_service_share', week, other.client)).data).toEqual([]);
  });
});
