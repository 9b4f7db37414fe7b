import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { createUser, signedInUser, signIn } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let agent: Client;
let ws: string;

async function resolved(at: string, firstContact: boolean) {
  await t.database.db
    .insertInto('items')
    .values({
      id: newId(),
      workspace_id: ws,
      kind: 'question',
      channel: 'email',
      subject: 'planted',
      reply_token: newId().replaceAll('-', ''),
      status: 'resolved',
      created_at: '2026-02-01T00:00:00Z',
      resolved_at: at,
      staff_reply_count: firstContact ? 1 : 3,
    })
    .execute();
}

const fcrGoal = {
  title: 'Resolve a quarter more questions at first contact',
  targets: [
    {
      metric: 'first_contact_resolution',
      baselineFrom: '2026-03-01',
      baselineTo: '2026-03-31',
      target: { type: 'relative', value: 25 },
    },
  ],
  startDate: '2026-04-01',
  deadline: '2026-09-30',
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  ws = admin.workspaceId;
  const user = await createUser(t.database.db, ws, { role: 'agent' });
  agent = t.client();
  await signIn(agent, user.email);
  // Baseline, March: 10 resolved, 4 at first contact = 40%.
  for (let day = 1; day <= 10; day++)
    await resolved(`2026-03-${String(day + 10).padStart(2, '0')}T10:00:00Z`, day <= 4);
  // The current window (31 days to 15 June): 5 resolved, 3 at first contact = 60%.
  for (let day = 1; day <= 5; day++) await resolved(`2026-06-0${day}T10:00:00Z`, day <= 3);
  t.deps.clock = () => new Date('2026-06-15T12:00:00Z');
});
afterAll(() => t.close());

describe('goals', () => {
  it('creates, lists, changes and deletes a goal; the owner defaults to the creator', async () => {
    const created = await admin.client.post('/api/v1/goals', fcrGoal);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      title: fcrGoal.title,
      ownerId: admin.user.id,
      startDate: '2026-04-01',
      version: 1,
    });
    const list = await agent.get('/api/v1/goals');
    expect(list.body.data.map((goal: { id: string }) => goal.id)).toContain(created.body.id);
    const changed = await admin.client.patch(`/api/v1/goals/${created.body.id}`, {
      title: 'FCR +25%',
      version: 1,
    });
    expect(changed.status).toBe(200);
    expect(changed.body.version).toBe(2);
    const stale = await admin.client.patch(`/api/v1/goals/${created.body.id}`, {
      title: 'again',
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect((await admin.client.delete(`/api/v1/goals/${created.body.id}`)).status).toBe(204);
    expect((await admin.client.get(`/api/v1/goals/${created.body.id}`)).status).toBe(404);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', created.body.id)
      .orderBy('id')
      .execute();
    expect(audit.map((row) => row.action)).toEqual(['goal.created', 'goal.updated', 'goal.deleted']);
  });

  it('computes progress by hand: baseline 40%, target 50%, now 60% — achieved', async () => {
    const created = await admin.client.post('/api/v1/goals', fcrGoal);
    const progress = await admin.client.get(`/api/v1/goals/${created.body.id}/progress`);
    expect(progress.status).toBe(200);
    const [target] = progress.body.targets;
    expect(target.baseline).toMatchObject({ value: 40, from: '2026-03-01', to: '2026-03-31' });
    expect(target.baseline.how).toMatch(/31 days/);
    expect(target.targetValue).toBe(50);
    expect(target.targetText).toBe('+25% from 40%');
    expect(target.current).toEqual({ value: 60, from: '2026-05-16', to: '2026-06-15' });
    expect(target.progress).toBe(2);
    expect(target.status).toBe('achieved');
    expect(progress.body.status).toBe('achieved');
    expect(progress.body.evaluatedOn).toBe('2026-06-15');
    // Weekly series from the baseline's start to today (Mondays).
    expect(target.series[0].start).toBe('2026-02-23');
    expect(target.series.at(-1).start).toBe('2026-06-15');
  });

  it('a composite goal holds only when every target holds; no data is "at risk"', async () => {
    const created = await admin.client.post('/api/v1/goals', {
      ...fcrGoal,
      title: 'FCR and loop closure',
      targets: [
        ...fcrGoal.targets,
        {
          metric: 'loop_closure_rate',
          baselineFrom: '2026-03-01',
          baselineTo: '2026-03-31',
          target: { type: 'absolute', value: 90 },
        },
      ],
    });
    const progress = await admin.client.get(`/api/v1/goals/${created.body.id}/progress`);
    expect(progress.body.targets.map((target: { status: string }) => target.status)).toEqual([
      'achieved',
      'at_risk',
    ]);
    expect(progress.body.targets[1]).toMatchObject({
      targetValue: 90,
      targetText: '≥ 90%',
      current: { value: null },
    });
    expect(progress.body.status).toBe('at_risk');
  });

  it('refuses bad goals with what to fix', async () => {
    const unknown = await admin.client.post('/api/v1/goals', {
      ...fcrGoal,
      targets: [{ ...fcrGoal.targets[0], metric: 'happiness' }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('body.targets.0.metric');
    const backwards = await admin.client.post('/api/v1/goals', { ...fcrGoal, deadline: '2026-03-01' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].path).toBe('body.deadline');
    const none = await admin.client.post('/api/v1/goals', { ...fcrGoal, targets: [] });
    expect(none.status).toBe(400);
    const stranger = await signedInUser(t, 'admin');
    const foreignOwner = await admin.client.post('/api/v1/goals', { ...fcrGoal, ownerId: stranger.user.id });
    expect(foreignOwner.status).toBe(400);
    expect(foreignOwner.body.errors[0].path).toBe('body.ownerId');
  });

  it('lets agents read goals but not set them; other workspaces see nothing', async () => {
    expect((await agent.post('/api/v1/goals', fcrGoal)).status).toBe(403);
    const created = await admin.client.post('/api/v1/goals', fcrGoal);
    const stranger = await signedInUser(t, 'admin');
    expect((await stranger.client.get(`/api/v1/goals/${created.body.id}`)).status).toBe(404);
    expect((await stranger.client.get(`/api/v1/goals/${created.body.id}/progress`)).status).toBe(404);
    expect(
      (await stranger.client.patch(`/api/v1/goals/${created.body.id}`, { title: 'x', version: 1 })).status,
    ).toBe(404);
    expect((await stranger.client.delete(`/api/v1/goals/${created.body.id}`)).status).toBe(404);
  });

  it('offers a template gallery filled in from today', async () => {
    const response = await admin.client.get('/api/v1/goal-templates');
    expect(response.status).toBe(200);
    const close = response.body.data.find(
      (template: { id: string }) => template.id === 'close-the-loop-complaints',
    );
    expect(close.goal).toMatchObject({
      startDate: '2026-06-15',
      targets: [{ metric: 'loop_closure_rate', baselineFrom: '2026-03-17', baselineTo: '2026-06-14' }],
    });
    const created = await admin.client.post('/api/v1/goals', close.goal);
    expect(created.status).toBe(201);
  });
});
