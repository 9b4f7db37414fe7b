import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestJob } from '../../src/features/digest/job.ts';
import { nextDigestAt, sendDueDigests, sendWorkspaceDigest } from '../../src/features/digest/service.ts';
import type { JobRow } from '../../src/platform/db/tables.ts';
import { newId } from '../../src/platform/ids.ts';
import { jobHandlers } from '../../src/platform/jobs/handlers.ts';
import { createUser, createWorkspace, signedInUser, signIn } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let ws: string;
let otherWs: string;
let owner: Awaited<ReturnType<typeof signedInUser>>;
let executive: Awaited<ReturnType<typeof signedInUser>>;
let optedOut: Awaited<ReturnType<typeof signedInUser>>;
let agent: Client;
let disabledId: string;
let goalA: string;
const base = 'https://crm.example.com';

async function resolved(workspaceId: string, at: string, firstContact: boolean) {
  await t.database.db
    .insertInto('items')
    .values({
      id: newId(),
      workspace_id: workspaceId,
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

async function goal(workspaceId: string, title: string, ownerId: string | null) {
  const id = newId();
  await t.database.db
    .insertInto('goals')
    .values({
      id,
      workspace_id: workspaceId,
      title,
      owner_id: ownerId,
      targets: JSON.stringify([
        {
          metric: 'first_contact_resolution',
          filter: {},
          baselineFrom: '2026-03-01',
          baselineTo: '2026-03-31',
          target: { type: 'absolute', value: 50 },
        },
      ]),
      start_date: '2026-04-01',
      deadline: '2026-09-30',
      milestones: '[]',
      created_at: '2026-04-01T00:00:00Z',
      updated_at: '2026-04-01T00:00:00Z',
    })
    .execute();
  return id;
}

/** An item breached on `breachedAt`, `overdueHours` past its resolution due time (still open). */
async function breached(subject: string, breachedAt: string, overdueHours: number, now: string) {
  const id = newId();
  const due = new Date(Date.parse(now) - overdueHours * 3600_000);
  await t.database.db
    .insertInto('items')
    .values({
      id,
      workspace_id: ws,
      kind: 'complaint',
      channel: 'email',
      subject,
      reply_token: newId().replaceAll('-', ''),
      created_at: '2026-06-01T00:00:00Z',
      resolution_due_at: due,
      resolution_breached_at: breachedAt,
    })
    .execute();
  return id;
}

async function escalated(itemId: string, to: string, at: string) {
  await t.database.db
    .insertInto('item_events')
    .values({
      id: newId(),
      workspace_id: ws,
      item_id: itemId,
      type: 'escalated',
      actor_type: 'system',
      actor_id: null,
      data: JSON.stringify({ from: 'agent', to, reason: 'SLA breached' }),
      created_at: at,
    })
    .execute();
}

async function digestMails() {
  return t.database.db
    .selectFrom('outbox')
    .select(['to_address', 'subject', 'text_body', 'entity', 'entity_id', 'workspace_id'])
    .where('entity', '=', 'digest')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

const at = (iso: string) => () => new Date(iso);

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: base });
  owner = await signedInUser(t, 'manager');
  ws = owner.workspaceId;
  executive = await signedInUser(t, 'executive', ws);
  optedOut = await signedInUser(t, 'manager', ws);
  const agentUser = await createUser(t.database.db, ws, { role: 'agent' });
  agent = t.client();
  await signIn(agent, agentUser.email);
  disabledId = (await createUser(t.database.db, ws, { role: 'executive', status: 'disabled' })).id;
  await t.database.db
    .updateTable('users')
    .set({ digest_opt_out: true })
    .where('id', '=', optedOut.user.id)
    .execute();

  goalA = await goal(ws, 'Resolve half the questions at first contact', owner.user.id);
  await goal(ws, 'Opted-out owner goal', optedOut.user.id);
  await goal(ws, 'Disabled owner goal', disabledId);
  await goal(ws, 'Long gone goal', owner.user.id).then((id) =>
    t.database.db.updateTable('goals').set({ deadline: '2026-05-01' }).where('id', '=', id).execute(),
  );
  otherWs = (await createWorkspace(t.database.db, 'Other')).id;
  await createUser(t.database.db, otherWs, { role: 'executive' });
  await goal(otherWs, 'Other workspace goal', null);

  // Baseline, March: 10 resolved, 4 at first contact = 40%.
  for (let day = 1; day <= 10; day++)
    await resolved(ws, `2026-03-${String(day + 10).padStart(2, '0')}T10:00:00Z`, day <= 4);
  // Before the first digest (window 16 May – 15 June): 5 resolved, 1 at first contact = 20%.
  for (let day = 1; day <= 5; day++) await resolved(ws, `2026-06-0${day}T10:00:00Z`, day === 1);

  // SLA breaches: two in the last 7 days before Monday 15 June 08:00, one older.
  const now = '2026-06-15T08:00:00Z';
  const worst = await breached('Cold ice cream again', '2026-06-10T09:00:00Z', 100, now);
  await breached('Late parcel', '2026-06-14T09:00:00Z', 20, now);
  await breached('Old breach', '2026-06-01T09:00:00Z', 400, now);
  await escalated(worst, 'manager', '2026-06-11T09:00:00Z');
  await escalated(worst, 'executive', '2026-06-12T09:00:00Z');
  await escalated(worst, 'lead', '2026-06-02T09:00:00Z');
});
afterAll(() => t.close());

describe('weekly goals digest', () => {
  it('is not sent before Monday 07:00 in the workspace time zone', async () => {
    t.deps.clock = at('2026-06-15T06:59:00Z');
    expect(await sendWorkspaceDigest(t.deps, ws, t.deps.clock())).toBe('not_due');
    expect(await digestMails()).toHaveLength(0);
    expect(await nextDigestAt(t.database.db, t.deps.clock())).toEqual(new Date('2026-06-15T07:00:00Z'));
  });

  it('preview: the text the caller would receive, nothing sent or stored', async () => {
    t.deps.clock = at('2026-06-15T08:00:00Z');
    const preview = await owner.client.get('/api/v1/digest/preview');
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ week: '2026-06-15', wouldReceive: true, reason: null });
    expect(preview.body.text).toContain('Resolve half the questions at first contact');
    expect(preview.body.text).not.toContain('Opted-out owner goal');
    const optedPreview = await optedOut.client.get('/api/v1/digest/preview');
    expect(optedPreview.body).toMatchObject({ wouldReceive: false });
    expect(optedPreview.body.reason).toMatch(/turned the weekly digest off/);
    // Executives preview every goal of their workspace, never another workspace's.
    const execPreview = await executive.client.get('/api/v1/digest/preview');
    expect(execPreview.body.text).toContain('Disabled owner goal');
    expect(execPreview.body.text).not.toContain('Other workspace goal');
    expect(execPreview.body.text).toContain(`${base}/goals/${goalA}`);
    const agentPreview = await agent.get('/api/v1/digest/preview');
    expect(agentPreview.body.wouldReceive).toBe(false);
    expect(agentPreview.body.text).toContain('No goals to report.');
    const stored = await t.database.db
      .selectFrom('goals')
      .select('status')
      .where('id', '=', goalA)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBeNull();
    expect(await digestMails()).toHaveLength(0);
  });

  it('first run: owners get their goals, executives all; opted-out, disabled and goal-less users get none', async () => {
    t.deps.clock = at('2026-06-15T08:00:00Z');
    const job = {
      id: newId(),
      kind: digestJob,
      payload: {},
      attempts: 1,
      max_attempts: 5,
    } as unknown as JobRow;
    await jobHandlers[digestJob]!(job, t.deps);
    const mails = await digestMails();
    const ownerMail = mails.find((mail) => mail.to_address === owner.user.email)!;
    const execMail = mails.find((mail) => mail.to_address === executive.user.email)!;
    const ownMails = mails.filter((mail) => mail.workspace_id === ws);
    expect(ownMails.map((mail) => mail.to_address).sort()).toEqual(
      [owner.user.email, executive.user.email].sort(),
    );
    // The other workspace's executive gets theirs, with their goal only.
    const otherMails = mails.filter((mail) => mail.workspace_id === otherWs);
    expect(otherMails).toHaveLength(1);
    expect(otherMails[0]!.text_body).toContain('Other workspace goal');
    expect(otherMails[0]!.text_body).not.toContain('Resolve half the questions');
    expect(otherMails[0]!.text_body).not.toContain('Cold ice cream');

    expect(ownerMail.entity_id).toBe(owner.user.id);
    expect(ownerMail.subject).toBe('Rapport weekly digest, week of 2026-06-15: 1 status change');
    expect(ownerMail.text_body).toContain(
      'Resolve half the questions at first contact: not evaluated yet → Off track',
    );
    expect(ownerMail.text_body).toContain(`${base}/goals/${goalA}`);
    expect(ownerMail.text_body).not.toContain('Opted-out owner goal');
    expect(ownerMail.text_body).not.toContain('Long gone goal');
    expect(ownerMail.text_body).toContain('Nothing moved, or no earlier evaluation to compare with.');

    for (const title of ['Resolve half the questions', 'Opted-out owner goal', 'Disabled owner goal']) {
      expect(execMail.text_body).toContain(title);
    }
    expect(execMail.text_body).not.toContain('Other workspace goal');
    // SLA breaches of the last 7 days, worst first, with links; escalations by level.
    expect(execMail.text_body).toContain('2 items breached an SLA.');
    expect(execMail.text_body).toMatch(
      /Cold ice cream again \(100 h past due\)[\s\S]*Late parcel \(20 h past due\)/,
    );
    expect(execMail.text_body).not.toContain('Old breach');
    expect(execMail.text_body).toContain('2 escalations.');
    expect(execMail.text_body).toContain('By level: Manager: 1, Executive: 1.');
    expect(execMail.text_body).toMatch(/Escalated to executive:\n {2}- #\d+ Cold ice cream again/);
    expect(execMail.text_body).toMatch(new RegExp(`${base}/items/[0-9a-f-]{36}`));

    const stored = await t.database.db
      .selectFrom('goals')
      .select(['status', 'status_changed_at', 'evaluated_at'])
      .where('id', '=', goalA)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('off_track');
    expect(stored.evaluated_at).toEqual(new Date('2026-06-15T08:00:00Z'));
    expect(stored.status_changed_at).toEqual(new Date('2026-06-15T08:00:00Z'));
    // The job planned its next run.
    const planned = await t.database.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', digestJob)
      .where('status', '=', 'queued')
      .execute();
    expect(planned).toHaveLength(1);
    const audits = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_type'])
      .where('workspace_id', '=', ws)
      .where('action', 'in', ['digest.sent', 'goal.status_changed'])
      .execute();
    expect(audits).toContainEqual({ action: 'digest.sent', actor_type: 'system' });
    expect(audits.filter((row) => row.action === 'goal.status_changed')).toHaveLength(3);
  });

  it('is idempotent: a second run in the same week sends nothing', async () => {
    t.deps.clock = at('2026-06-17T12:00:00Z');
    const before = (await digestMails()).length;
    expect(await sendWorkspaceDigest(t.deps, ws, t.deps.clock())).toBe('already_sent');
    await sendDueDigests(t.deps);
    expect(await digestMails()).toHaveLength(before);
  });

  it('next week: reports the status change and the biggest mover since the previous run', async () => {
    // During the week: 10 questions resolved at first contact → 11 of 15 = 73%.
    for (let day = 16; day <= 20; day++) {
      await resolved(ws, `2026-06-${day}T10:00:00Z`, true);
      await resolved(ws, `2026-06-${day}T11:00:00Z`, true);
    }
    t.deps.clock = at('2026-06-22T07:30:00Z');
    const before = (await digestMails()).length;
    const outcome = await sendWorkspaceDigest(t.deps, ws, t.deps.clock());
    expect(outcome).toEqual({ sent: 2, goals: 3 });
    const mails = (await digestMails()).slice(before);
    const ownerMail = mails.find((mail) => mail.to_address === owner.user.email)!;
    expect(ownerMail.text_body).toContain(
      'Resolve half the questions at first contact: Off track → Achieved',
    );
    // 20% → 73.33%: progress from baseline 40 to target 50 went from −2 to 3.33.
    expect(ownerMail.text_body).toContain(
      'Resolve half the questions at first contact · First-contact resolution: 20% → 73.33% (target 50%; 533 points towards the target)',
    );
    const execMail = mails.find((mail) => mail.to_address === executive.user.email)!;
    // The same metric moved every goal of the workspace.
    expect(execMail.subject).toContain('3 status changes');
    expect(execMail.text_body).toContain('Opted-out owner goal: Off track → Achieved');
    const stored = await t.database.db
      .selectFrom('goals')
      .select(['status', 'status_changed_at'])
      .where('id', '=', goalA)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'achieved', status_changed_at: new Date('2026-06-22T07:30:00Z') });
  });

  it('follows the workspace time zone', async () => {
    await t.database.db
      .insertInto('business_hours')
      .values({ workspace_id: otherWs, time_zone: 'Europe/Amsterdam', schedule: '{}', holidays: '[]' })
      .execute();
    // A goal whose metric left the catalogue does not stop the digest.
    const broken = await goal(otherWs, 'Retired metric goal', null);
    await t.database.db
      .updateTable('goals')
      .set({
        targets: JSON.stringify([
          {
            metric: 'retired_metric',
            filter: {},
            baselineFrom: '2026-03-01',
            baselineTo: '2026-03-31',
            target: { type: 'absolute', value: 1 },
          },
        ]),
      })
      .where('id', '=', broken)
      .execute();
    // Monday 29 June 07:00 in Amsterdam (summer time) is 05:00 UTC.
    expect(await sendWorkspaceDigest(t.deps, otherWs, new Date('2026-06-29T04:59:00Z'))).toBe('not_due');
    expect(await sendWorkspaceDigest(t.deps, otherWs, new Date('2026-06-29T05:00:00Z'))).toEqual({
      sent: 1,
      goals: 2,
    });
    const mail = (await digestMails()).filter((row) => row.workspace_id === otherWs).at(-1)!;
    expect(mail.subject).toContain('week of 2026-06-29');
    expect(mail.text_body).toContain('Other workspace goal');
    expect(mail.text_body).not.toContain('Resolve half the questions');
    expect(mail.text_body).toContain(
      'Retired metric goal: could not be evaluated (There is no metric "retired_metric" (see GET /api/v1/metrics).)',
    );
  });
});

describe('digest preference', () => {
  it('GET/PUT /api/v1/me/digest, audited; bad input is a 400 that says what to fix', async () => {
    expect((await agent.get('/api/v1/me/digest')).body).toEqual({ enabled: true });
    const off = await agent.put('/api/v1/me/digest', { enabled: false });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ enabled: false });
    expect((await agent.get('/api/v1/me/digest')).body).toEqual({ enabled: false });
    const bad = await agent.put('/api/v1/me/digest', { enabled: 'no' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('enabled');
    const audits = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('action', '=', 'user.digest_preference_changed')
      .execute();
    expect(audits).toEqual([
      { action: 'user.digest_preference_changed', before: { enabled: true }, after: { enabled: false } },
    ]);
    expect((await t.client().get('/api/v1/me/digest')).status).toBe(401);
  });
});
