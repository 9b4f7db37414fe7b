import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { breakdownDimensions } from '../../src/shared/metrics.ts';
import { createUser, signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * GET /metrics/:name/breakdown — hand-computed. UTC workspace, period March 2026.
 * Teams Support (T1) and Billing (T2); category Delivery; owners Ann (admin) and Bob.
 *
 *   item  team     owner  channel  category  resolved   minutes  first contact?
 *   R1    Support  Ann    email    Delivery  2 Mar      120      yes (1 staff reply)
 *   R2    Support  Ann    phone    —         3 Mar       60      no (3 staff replies)
 *   R3    Billing  Bob    email    Delivery  5 Mar       30      yes
 *   R4    Billing  —      email    —         6 Mar      240      no (reopened)
 *   R5    —        Bob    chat     Delivery  10 Mar      10      yes (no reply)
 *   R7    Billing  —      email    —         12 Mar     600      no (2 replies)
 *   R6    Billing  —      email    —         5 April (after the period)
 * Open at the end of March: B1 (Support, unowned), B2 (Support, Ann, since February), B3 (Billing,
 * Bob, closed 2 April); B4 (Billing) was closed on 10 March.
 */
let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let other: Awaited<ReturnType<typeof signedInUser>>;
let ws: string;
const support = newId();
const billing = newId();
const delivery = newId();
let bob: string;

async function plant(fields: Record<string, unknown>) {
  const id = newId();
  await t.database.db
    .insertInto('items')
    .values({
      id,
      workspace_id: ws,
      kind: 'question',
      channel: 'email',
      subject: 'planted',
      reply_token: newId().replaceAll('-', ''),
      ...fields,
    } as never)
    .execute();
  return id;
}

const resolved = (created: string, minutes: number) => ({
  created_at: created,
  resolved_at: new Date(Date.parse(created) + minutes * 60_000).toISOString(),
  status: 'resolved',
});

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  other = await signedInUser(t, 'admin');
  ws = admin.workspaceId;
  const ann = admin.user.id;
  bob = (await createUser(t.database.db, ws, { name: 'Bob Baker' })).id;
  await t.database.db.updateTable('users').set({ name: 'Ann Archer' }).where('id', '=', ann).execute();
  await t.database.db
    .insertInto('teams')
    .values([
      { id: support, workspace_id: ws, name: 'Support' },
      { id: billing, workspace_id: ws, name: 'Billing' },
    ] as never)
    .execute();
  await t.database.db
    .insertInto('item_categories')
    .values({ id: delivery, workspace_id: ws, name: 'Delivery' } as never)
    .execute();
  const common = { staff_reply_count: 1, reopened_count: 0 };
  await plant({
    ...resolved('2026-03-02T10:00:00Z', 120),
    ...common,
    team_id: support,
    owner_id: ann,
    category_id: delivery,
    priority: 'high',
  });
  await plant({
    ...resolved('2026-03-03T10:00:00Z', 60),
    staff_reply_count: 3,
    team_id: support,
    owner_id: ann,
    channel: 'phone',
  });
  await plant({
    ...resolved('2026-03-05T10:00:00Z', 30),
    ...common,
    team_id: billing,
    owner_id: bob,
    category_id: delivery,
  });
  await plant({
    ...resolved('2026-03-06T10:00:00Z', 240),
    ...common,
    reopened_count: 1,
    team_id: billing,
    priority: 'urgent',
  });
  await plant({
    ...resolved('2026-03-10T10:00:00Z', 10),
    staff_reply_count: 0,
    owner_id: bob,
    channel: 'chat',
    category_id: delivery,
  });
  await plant({ ...resolved('2026-03-12T00:00:00Z', 600), staff_reply_count: 2, team_id: billing });
  await plant({ ...resolved('2026-04-05T00:00:00Z', 5), ...common, team_id: billing });
  await plant({ created_at: '2026-03-20T00:00:00Z', team_id: support });
  await plant({ created_at: '2026-02-15T00:00:00Z', team_id: support, owner_id: ann, channel: 'phone' });
  await plant({
    created_at: '2026-03-25T00:00:00Z',
    team_id: billing,
    owner_id: bob,
    closed_at: '2026-04-02T00:00:00Z',
  });
  await plant({ created_at: '2026-03-01T00:00:00Z', team_id: billing, closed_at: '2026-03-10T00:00:00Z' });
  // Cost settings (so that the cost metrics have data) and a helpful knowledge-base answer.
  const costs = await admin.client.post('/api/v1/cost-settings', {
    effectiveFrom: '2026-01-01',
    currency: 'EUR',
    hourlyCost: 60,
    perContact: { phone: 6, email: 3, chat: 1 },
    handlingMinutes: { phone: 10, email: 5, chat: 2 },
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
      created_at: '2026-03-15T00:00:00Z',
    } as never)
    .execute();
});
afterAll(() => t.close());

const period = 'from=2026-03-01&to=2026-03-31';
async function breakdown(name: string, query: string, client = admin.client) {
  const response = await client.get(`/api/v1/metrics/${name}/breakdown?${period}&${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as {
    by: string;
    truncated: boolean;
    data: {
      value: string | null;
      label: string;
      total: { value: number | null; numerator: number | null; denominator: number | null };
    }[];
  };
}
const rows = (body: Awaited<ReturnType<typeof breakdown>>) =>
  body.data.map((row) => [row.label, row.total.value]);

describe('a ratio, a percentile and a snapshot by team, category and owner, by hand', () => {
  it('first-contact resolution by team: no team 1/1, Support 1/2, Billing 1/3; best first', async () => {
    const body = await breakdown('first_contact_resolution', 'by=team');
    expect(body.by).toBe('team');
    expect(body.truncated).toBe(false);
    expect(body.data).toEqual([
      { value: null, label: 'No team', total: { value: 100, numerator: 1, denominator: 1 } },
      { value: support, label: 'Support', total: { value: 50, numerator: 1, denominator: 2 } },
      { value: billing, label: 'Billing', total: { value: 33.33, numerator: 1, denominator: 3 } },
    ]);
  });

  it('by category: Delivery 3/3, none 0/3 (0% is data: the denominator is not 0)', async () => {
    expect(rows(await breakdown('first_contact_resolution', 'by=category'))).toEqual([
      ['Delivery', 100],
      ['No category', 0],
    ]);
  });

  it('by owner, with user names as labels: Bob 2/2, Ann 1/2, unowned 0/2', async () => {
    const body = await breakdown('first_contact_resolution', 'by=owner');
    expect(rows(body)).toEqual([
      ['Bob Baker', 100],
      ['Ann Archer', 50],
      ['No owner', 0],
    ]);
    expect(body.data[0]!.value).toBe(bob);
  });

  it('by channel and priority, with their labels', async () => {
    expect(rows(await breakdown('first_contact_resolution', 'by=channel'))).toEqual([
      ['Chat', 100],
      ['Email', 50],
      ['Phone', 0],
    ]);
    expect(rows(await breakdown('first_contact_resolution', 'by=priority'))).toEqual([
      ['High', 100],
      ['Normal', 50],
      ['Urgent', 0],
    ]);
  });

  it('median resolution time by team: no team 10, Support 90 (60 and 120), Billing 240; lower first', async () => {
    const body = await breakdown('resolution_median_minutes', 'by=team');
    expect(rows(body)).toEqual([
      ['No team', 10],
      ['Support', 90],
      ['Billing', 240],
    ]);
    expect(body.data[2]!.total).toEqual({ value: 240, numerator: null, denominator: 3 });
  });

  it('open backlog at the end of March by team: Billing 1 (B3), Support 2 (B1, B2); no team has none', async () => {
    expect(rows(await breakdown('backlog_open', 'by=team'))).toEqual([
      ['Billing', 1],
      ['Support', 2],
    ]);
  });

  it('keeps the biggest values within the limit and says so', async () => {
    const body = await breakdown('first_contact_resolution', 'by=team&limit=2');
    expect(rows(body)).toEqual([
      ['Support', 50],
      ['Billing', 33.33],
    ]);
    expect(body.truncated).toBe(true);
  });

  it('stays within the filter: by kind within the email items of Billing', async () => {
    const body = await breakdown('first_contact_resolution', `by=kind&channel=email&teamId=${billing}`);
    expect(body.data).toEqual([
      { value: 'question', label: 'Question', total: { value: 33.33, numerator: 1, denominator: 3 } },
    ]);
  });
});

describe('every metric and every dimension agree with the metric narrowed to the value', () => {
  it('each row equals GET /metrics/:name with the filter narrowed to its value', async () => {
    const catalogue = await admin.client.get('/api/v1/metrics');
    const filterKey = { team: 'teamId', category: 'categoryId', owner: 'ownerId' } as Record<string, string>;
    let checked = 0;
    for (const { name } of catalogue.body.data as { name: string }[]) {
      for (const by of breakdownDimensions) {
        const body = await breakdown(name, `by=${by}`);
        for (const row of body.data) {
          expect(row.total.value).not.toBeNull();
          if (row.value === null) continue;
          const response = await admin.client.get(
            `/api/v1/metrics/${name}?${period}&interval=month&${filterKey[by] ?? by}=${row.value}`,
          );
          expect(response.status).toBe(200);
          expect(row.total, `${name} by ${by} = ${row.value}`).toEqual(response.body.total);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('input, isolation and errors', () => {
  it('another workspace sees none of these values, even when it names a team of this one', async () => {
    expect((await breakdown('first_contact_resolution', 'by=team', other.client)).data).toEqual([]);
    expect(
      (await breakdown('first_contact_resolution', `by=kind&teamId=${support}`, other.client)).data,
    ).toEqual([]);
    expect((await breakdown('backlog_open', 'by=owner', other.client)).data).toEqual([]);
  });

  it('answers 400 naming the field, and 404 for an unknown metric', async () => {
    const bad = await admin.client.get(
      `/api/v1/metrics/first_contact_resolution/breakdown?${period}&by=colour`,
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/by/);
    const none = await admin.client.get(`/api/v1/metrics/first_contact_resolution/breakdown?${period}`);
    expect(none.status).toBe(400);
    const order = await admin.client.get(
      '/api/v1/metrics/first_contact_resolution/breakdown?from=2026-03-31&to=2026-03-01&by=team',
    );
    expect(order.status).toBe(400);
    expect(JSON.stringify(order.body)).toMatch(/to/);
    const unknown = await admin.client.get(`/api/v1/metrics/no_such_metric/breakdown?${period}&by=team`);
    expect(unknown.status).toBe(404);
  });

  it('needs a session', async () => {
    const response = await t
      .client()
      .get(`/api/v1/metrics/first_contact_resolution/breakdown?${period}&by=team`);
    expect(response.status).toBe(401);
  });
});
