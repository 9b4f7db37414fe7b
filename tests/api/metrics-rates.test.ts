import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Escalation rates, thank-you rate, problem fix reach and self-service share — hand-computed.
 * Amsterdam workspace; the two weeks cross the switch to summer time (29 March 2026).
 * Items planted only for one metric are created on 1 March, outside the period.
 */
let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let ws: string;

async function plant(fields: Record<string, unknown>, workspaceId = ws) {
  const id = newId();
  await t.database.db
    .insertInto('items')
    .values({
      id,
      workspace_id: workspaceId,
      kind: 'complaint',
      channel: 'email',
      subject: 'planted',
      reply_token: newId().replaceAll('-', ''),
      created_at: '2026-03-01T00:00:00Z',
      ...fields,
    } as never)
    .execute();
  return id;
}

async function informed(itemId: string, at: string, data: Record<string, unknown>, type = 'informed') {
  await t.database.db
    .insertInto('item_events')
    .values({
      id: newId(),
      workspace_id: ws,
      item_id: itemId,
      type,
      actor_type: 'user',
      data: JSON.stringify(data),
      created_at: at,
    } as never)
    .execute();
}

async function helpful(
  workspaceId: string,
  at: string,
  answer = true,
  context: 'browse' | 'before_submit' = 'browse',
) {
  const article = newId();
  await t.database.db
    .insertInto('kb_articles')
    .values({ id: article, workspace_id: workspaceId, title: 'How to' } as never)
    .execute();
  await t.database.db
    .insertInto('kb_feedback')
    .values({
      id: newId(),
      workspace_id: workspaceId,
      article_id: article,
      helpful: answer,
      context,
      created_at: at,
    })
    .execute();
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  ws = admin.workspaceId;
  await t.database.db
    .insertInto('business_hours')
    .values({ workspace_id: ws, time_zone: 'Europe/Amsterdam' })
    .execute();
  const escalated = (level: string) => ({ escalation_level: level, escalated_at: '2026-04-03T00:00:00Z' });
  // Created in the week of 23 March: E1 (request, lead), E2 (question, manager), E3 (complaint, never),
  // E4 (complaint by phone, executive).
  await plant({ kind: 'request', created_at: '2026-03-24T10:00:00Z', ...escalated('lead') });
  await plant({ kind: 'question', created_at: '2026-03-25T10:00:00Z', ...escalated('manager') });
  await plant({ created_at: '2026-03-26T10:00:00Z' });
  await plant({ channel: 'phone', created_at: '2026-03-27T10:00:00Z', ...escalated('executive') });
  // Week of 30 March: E5 (request, lead) created 00:30 on Monday 30 March local (still Sunday in UTC);
  // E6 (praise, never).
  await plant({ kind: 'request', created_at: '2026-03-29T22:30:00Z', ...escalated('lead') });
  await plant({ kind: 'praise', created_at: '2026-03-31T10:00:00Z' });

  // Thank-you rate: closed praise and suggestions.
  const closed = (kind: string, at: string, thanked: boolean) =>
    plant({ kind, status: 'closed', closed_at: at, thanked_at: thanked ? at : null });
  await closed('praise', '2026-03-24T10:00:00Z', true);
  await closed('suggestion', '2026-03-25T10:00:00Z', false);
  await closed('complaint', '2026-03-25T10:00:00Z', true); // not praise or suggestion
  await closed('praise', '2026-04-01T10:00:00Z', true);
  await closed('suggestion', '2026-04-05T22:30:00Z', true); // 00:30 on 6 April local: after the period

  // Problem fix reach: 'informed' events written by a fix carry the problem.
  const problemId = newId();
  const fix = { how: 'email', summary: 'Recipe changed', problemId };
  const x1 = await plant({});
  const x2 = await plant({ channel: 'phone' });
  const x3 = await plant({});
  const x4 = await plant({});
  await informed(x1, '2026-03-26T10:00:00Z', fix);
  await informed(x2, '2026-03-26T10:00:00Z', fix);
  await informed(x3, '2026-03-26T11:00:00Z', { how: 'phone' }); // told by hand, not by a fix
  await informed(x4, '2026-03-29T22:30:00Z', fix); // 00:30 on Monday 30 March local
  await informed(x4, '2026-03-29T22:30:00Z', { how: 'email', problemId }, 'thanked'); // not 'informed'
  // A duplicate merged into x1: its customer was told too (counted, filtered as x1).
  const duplicate = await plant({ merged_into_id: x1 });
  await informed(duplicate, '2026-03-26T10:00:00Z', fix);

  // Self-service: "this helped" answers. 00:30 on Monday 23 March local (Sunday in UTC) is in the period.
  await helpful(ws, '2026-03-22T23:30:00Z');
  await helpful(ws, '2026-03-24T10:00:00Z');
  await helpful(ws, '2026-03-24T11:00:00Z', true, 'before_submit');
  await helpful(ws, '2026-03-25T10:00:00Z', false); // did not help
  await helpful(ws, '2026-03-30T10:00:00Z');
  // Another workspace's answers and items never count.
  const other = await signedInUser(t, 'admin');
  await helpful(other.workspaceId, '2026-03-24T10:00:00Z');
  await plant({ kind: 'request', created_at: '2026-03-24T10:00:00Z' }, other.workspaceId);
});
afterAll(() => t.close());

const period = 'from=2026-03-23&to=2026-04-05&interval=week';
const get = async (name: string, query = period) => {
  const response = await admin.client.get(`/api/v1/metrics/${name}?${query}`);
  expect(response.status).toBe(200);
  return response.body;
};
const values = (body: { series: { value: number | null }[] }) => body.series.map((point) => point.value);

describe('escalation rate, by hand', () => {
  it('escalated at least once: 3 of 4 created in the week of 23 March, 1 of 2 the next; 4 of 6', async () => {
    const body = await get('escalation_rate');
    expect(body.metric).toMatchObject({ unit: 'percent', better: 'down' });
    expect(body.series).toEqual([
      { start: '2026-03-23', value: 75, numerator: 3, denominator: 4 },
      { start: '2026-03-30', value: 50, numerator: 1, denominator: 2 },
    ]);
    expect(body.total).toEqual({ value: 66.67, numerator: 4, denominator: 6 });
  });

  it('by level: lead or higher 4/6, manager or higher 2/6 (E2, E4), executive 1/6 (E4)', async () => {
    expect(values(await get('escalation_rate_lead'))).toEqual([75, 50]);
    const manager = await get('escalation_rate_manager');
    expect(values(manager)).toEqual([50, 0]);
    expect(manager.total).toEqual({ value: 33.33, numerator: 2, denominator: 6 });
    const executive = await get('escalation_rate_executive');
    expect(values(executive)).toEqual([25, 0]);
    expect(executive.total).toEqual({ value: 16.67, numerator: 1, denominator: 6 });
  });

  it('narrows by channel: only E4 came by phone', async () => {
    const body = await get('escalation_rate', `${period}&channel=phone`);
    expect(body.series).toEqual([
      { start: '2026-03-23', value: 100, numerator: 1, denominator: 1 },
      { start: '2026-03-30', value: null, numerator: 0, denominator: 0 },
    ]);
  });
});

describe('thank-you rate, by hand', () => {
  it('of praise and suggestions closed: 1 of 2, then 1 of 1; 2 of 3', async () => {
    const body = await get('thank_you_rate');
    expect(body.series).toEqual([
      { start: '2026-03-23', value: 50, numerator: 1, denominator: 2 },
      { start: '2026-03-30', value: 100, numerator: 1, denominator: 1 },
    ]);
    expect(body.total).toEqual({ value: 66.67, numerator: 2, denominator: 3 });
  });

  it('has no data when the filter leaves no praise or suggestion', async () => {
    const body = await get('thank_you_rate', `${period}&kind=complaint`);
    expect(body.total).toEqual({ value: null, numerator: 0, denominator: 0 });
  });
});

describe('problem fix reach, by hand', () => {
  it('counts customers told by a fix: x1, x2 and the duplicate, then x4', async () => {
    const body = await get('problem_fix_reach');
    expect(body.metric).toMatchObject({ unit: 'count', better: 'up' });
    expect(body.series).toEqual([
      { start: '2026-03-23', value: 3, numerator: 3, denominator: null },
      { start: '2026-03-30', value: 1, numerator: 1, denominator: null },
    ]);
    expect(body.total).toEqual({ value: 4, numerator: 4, denominator: null });
    expect((await get('problem_fix_reach', `${period}&channel=phone`)).total.value).toBe(1);
  });
  it('counts what a real fix records: one per customer told, by the day they were told', async () => {
    const told = await plant({ reporter_name: 'Ada', reporter_email: 'ada@example.com' });
    const alsoTold = await plant({ reporter_name: 'Bo', reporter_email: 'bo@example.com', channel: 'phone' });
    const noEmail = await plant({ reporter_name: 'Cy' });
    const problem = await admin.client.post('/api/v1/problems', {
      title: 'Vanilla stalls the car',
      itemIds: [told, alsoTold, noEmail],
    });
    expect(problem.status).toBe(201);
    const fixed = await admin.client.post(`/api/v1/problems/${problem.body.id}/fix`, {
      summary: 'Fuel vapour lock fixed',
      message: 'Dear {{name}}, we fixed it.',
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.informed).toHaveLength(2);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const now = `from=${day(-2)}&to=${day(2)}&interval=day`;
    expect((await get('problem_fix_reach', now)).total.value).toBe(2);
    expect((await get('problem_fix_reach', `${now}&channel=phone`)).total.value).toBe(1);
  });
});

describe('self-service share, by hand', () => {
  it('helped answers ÷ (those + requests and questions): 3/(3+2), then 1/(1+1); 4/7', async () => {
    const body = await get('self_service_share');
    expect(body.series).toEqual([
      { start: '2026-03-23', value: 60, numerator: 3, denominator: 5 },
      { start: '2026-03-30', value: 50, numerator: 1, denominator: 2 },
    ]);
    expect(body.total).toEqual({ value: 57.14, numerator: 4, denominator: 7 });
  });

  it('narrows the staff side by the filter: requests only are E1 and E5', async () => {
    const body = await get('self_service_share', `${period}&kind=request`);
    // 3 / (3 + 1) and 1 / (1 + 1); 4 / 6.
    expect(values(body)).toEqual([75, 50]);
    expect(body.total).toEqual({ value: 66.67, numerator: 4, denominator: 6 });
  });
});

describe('empty periods', () => {
  it('rates have no data and counts are zero', async () => {
    const query = 'from=2025-06-01&to=2025-06-01&interval=day';
    for (const name of ['escalation_rate_manager', 'thank_you_rate', 'self_service_share']) {
      expect((await get(name, query)).series).toEqual([
        { start: '2025-06-01', value: null, numerator: 0, denominator: 0 },
      ]);
    }
    expect((await get('problem_fix_reach', query)).total).toEqual({
      value: 0,
      numerator: 0,
      denominator: null,
    });
  });
});
