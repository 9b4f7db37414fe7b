import { createServer } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JobHandler, jobHandlers, PermanentJobError } from '../../src/platform/jobs/handlers.ts';
import { enqueueJob, requeueStuckJobs } from '../../src/platform/jobs/queue.ts';
import { drainJobs, runDueJobs } from '../../src/platform/jobs/worker.ts';
import { closeMailTransports, noSmtpMessage } from '../../src/platform/mail/outbox.ts';
import { createWorkspace, signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Client;
let adminId: string;
let workspaceId: string;
const adminPassword = 'the admin password';

beforeAll(async () => {
  t = await createTestApp();
  admin = t.client();
  const setup = await admin.post('/api/v1/setup', {
    workspaceName: 'Audited',
    name: 'Ada Admin',
    email: 'ada@example.com',
    password: adminPassword,
  });
  expect(setup.status).toBe(201);
  adminId = setup.body.user.id;
  workspaceId = setup.body.workspace.id;
  await admin.post('/api/v1/auth/login', { email: 'ada@example.com', password: adminPassword });
});
afterAll(async () => {
  closeMailTransports();
  await t.close();
});

async function jobRow(id: string) {
  return t.database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
async function makeDue(id: string) {
  await t.database.db.updateTable('jobs').set({ run_at: sql<Date>`now()` }).where('id', '=', id).execute();
}
/** The real handlers plus test kinds, so that other queued jobs still run normally. */
const withHandlers = (extra: Record<string, JobHandler>) => ({ ...jobHandlers, ...extra });

describe('audit log', () => {
  let tokenId: string;
  let tokenSecret: string;
  let invitedId: string;

  beforeAll(async () => {
    const token = await admin.post('/api/v1/tokens', { name: 'audit me' });
    tokenId = token.body.id;
    tokenSecret = token.body.token;
    const invited = await admin.post('/api/v1/users', {
      email: 'ivy@example.com',
      name: 'Ivy',
      role: 'agent',
    });
    invitedId = invited.body.user.id;
    await admin.patch(`/api/v1/users/${invitedId}`, { role: 'manager' });
  });

  it('records setup, login, invite, update and token creation with actor and before/after', async () => {
    const response = await admin.get('/api/v1/audit?limit=200');
    expect(response.status).toBe(200);
    const entries = response.body.data as { action: string; entityId: string; [key: string]: unknown }[];
    const byAction = (action: string) => entries.filter((entry) => entry.action === action);
    for (const action of [
      'workspace.created',
      'user.created',
      'auth.login',
      'user.invited',
      'token.created',
      'user.updated',
    ]) {
      expect(byAction(action).length, action).toBeGreaterThan(0);
    }
    expect(byAction('token.created')[0]).toMatchObject({
      actorType: 'user',
      actorId: adminId,
      actorName: 'Ada Admin',
      entity: 'api_token',
      entityId: tokenId,
      after: { id: tokenId, name: 'audit me' },
    });
    expect(byAction('user.invited')[0]).toMatchObject({
      entityId: invitedId,
      after: { email: 'ivy@example.com' },
    });
    const updated = byAction('user.updated')[0]!;
    expect(updated).toMatchObject({ before: { role: 'agent' }, after: { role: 'manager' } });
    expect(updated.requestId).toEqual(expect.any(String));
  });

  it('never contains password hashes or token secrets', async () => {
    const response = await admin.get('/api/v1/audit?limit=200');
    const created = response.body.data.find((entry: { action: string }) => entry.action === 'user.created');
    expect(created.after.email).toBe('ada@example.com');
    expect(created.after.password_hash).toBe('[redacted]');
    const text = JSON.stringify(response.body);
    expect(text).not.toContain('scrypt$');
    expect(text).not.toContain(tokenSecret);
    expect(text).not.toContain(adminPassword);
  });

  it('filters by entity and entity id', async () => {
    const response = await admin.get(`/api/v1/audit?entity=api_token&entityId=${tokenId}`);
    expect(response.body.data.map((entry: { action: string }) => entry.action)).toEqual(['token.created']);
    const users = await admin.get(`/api/v1/audit?entity=user&entityId=${invitedId}`);
    expect(users.body.data.map((entry: { action: string }) => entry.action)).toEqual([
      'user.updated',
      'user.invited',
    ]);
  });

  it('pages newest first without duplicates or gaps', async () => {
    const all = (await admin.get('/api/v1/audit?limit=200')).body.data.map(
      (entry: { id: string }) => entry.id,
    );
    expect(all.length).toBeGreaterThan(4);
    const paged: string[] = [];
    let url = '/api/v1/audit?limit=2';
    for (let i = 0; i < 100; i += 1) {
      const page = await admin.get(url);
      paged.push(...page.body.data.map((entry: { id: string }) => entry.id));
      if (!page.body.next) break;
      url = `/api/v1/audit?limit=2&after=${page.body.next}`;
    }
    expect(paged).toEqual(all);
    expect(all).toEqual([...all].sort().reverse());
  });

  it('is for admins only, and only shows their own workspace', async () => {
    const manager = await signedInUser(t, 'manager', workspaceId);
    for (const url of ['/api/v1/audit', '/api/v1/outbox', '/api/v1/jobs']) {
      const response = await manager.client.get(url);
      expect(response.status, url).toBe(403);
    }
    const stranger = await signedInUser(t, 'admin');
    const theirs = await stranger.client.get('/api/v1/audit?limit=200');
    expect(theirs.status).toBe(200);
    const ids = theirs.body.data.map((entry: { entityId: string }) => entry.entityId);
    expect(ids).not.toContain(tokenId);
    expect(ids).not.toContain(invitedId);
  });
});

describe('outbox without SMTP', () => {
  it('keeps the message, marked not sent', async () => {
    const invited = await admin.post('/api/v1/users', {
      email: 'otto@example.com',
      name: 'Otto',
      role: 'agent',
    });
    expect(invited.status).toBe(201);
    await drainJobs(t.deps);
    const list = await admin.get('/api/v1/outbox?status=not_sent');
    expect(list.status).toBe(200);
    const message = list.body.data.find((item: { to: string }) => item.to === 'otto@example.com');
    expect(message).toMatchObject({
      status: 'not_sent',
      error: noSmtpMessage,
      entity: 'user',
      entityId: invited.body.user.id,
      subject: expect.stringContaining('invited you'),
    });
    expect(message.text).toContain(invited.body.inviteUrl);
    expect((await admin.get('/api/v1/outbox?status=sent')).body.data).toEqual([]);
  });
});

describe('jobs', () => {
  it('retries a failing job with growing backoff, then marks it failed after max_attempts', async () => {
    let calls = 0;
    const handlers = withHandlers({
      'test.flaky': async () => {
        calls += 1;
        throw new Error(`boom ${calls}`);
      },
    });
    const id = await enqueueJob(t.database.db, { kind: 'test.flaky', workspaceId, maxAttempts: 3 });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const before = Date.now();
      await runDueJobs(t.deps, handlers);
      const row = await jobRow(id);
      expect(row).toMatchObject({
        status: 'queued',
        attempts: attempt,
        last_error: `boom ${attempt}`,
        locked_at: null,
      });
      delays.push(row.run_at.getTime() - before);
      await runDueJobs(t.deps, handlers);
      expect(calls, 'not run again before its time').toBe(attempt);
      await makeDue(id);
    }
    expect(delays[0]).toBeGreaterThanOrEqual(7_000);
    expect(delays[0]).toBeLessThanOrEqual(13_000);
    expect(delays[1]).toBeGreaterThanOrEqual(15_000);
    expect(delays[1]).toBeLessThanOrEqual(25_000);

    await runDueJobs(t.deps, handlers);
    const failed = await jobRow(id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, last_error: 'boom 3' });
    expect(failed.finished_at).toBeInstanceOf(Date);
  });

  it('fails at once for an unknown kind or a permanent error, and completes a good job', async () => {
    const unknown = await enqueueJob(t.database.db, { kind: 'no.such.kind', workspaceId });
    const permanent = await enqueueJob(t.database.db, { kind: 'test.permanent', workspaceId });
    const good = await enqueueJob(t.database.db, { kind: 'test.good', workspaceId, payload: { n: 1 } });
    const seenPayloads: unknown[] = [];
    await drainJobs(
      t.deps,
      withHandlers({
        'test.permanent': async () => {
          throw new PermanentJobError('cannot ever work');
        },
        'test.good': async (job) => {
          seenPayloads.push(job.payload);
        },
      }),
    );
    expect(await jobRow(unknown)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: expect.stringContaining('No handler'),
    });
    expect(await jobRow(permanent)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'cannot ever work',
    });
    expect(await jobRow(good)).toMatchObject({ status: 'done', attempts: 1 });
    expect(seenPayloads).toEqual([{ n: 1 }]);
  });

  it('lets an admin list failed jobs and retry one (audited); retrying a queued job is a conflict', async () => {
    const id = await enqueueJob(t.database.db, { kind: 'no.such.kind.either', workspaceId });
    await drainJobs(t.deps);
    const failed = await admin.get('/api/v1/jobs?status=failed');
    expect(failed.status).toBe(200);
    expect(failed.body.data.every((job: { status: string }) => job.status === 'failed')).toBe(true);
    expect(failed.body.data.map((job: { id: string }) => job.id)).toContain(id);

    const retried = await admin.post(`/api/v1/jobs/${id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id, status: 'queued', attempts: 0, finishedAt: null });
    expect(await jobRow(id)).toMatchObject({ status: 'queued', attempts: 0 });
    const audit = await admin.get(`/api/v1/audit?entity=job&entityId=${id}`);
    expect(audit.body.data).toEqual([
      expect.objectContaining({
        action: 'job.retried',
        actorId: adminId,
        before: expect.objectContaining({ status: 'failed' }),
      }),
    ]);

    const again = await admin.post(`/api/v1/jobs/${id}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('queued');
  });

  it("hides another workspace's jobs", async () => {
    const other = await createWorkspace(t.database.db, 'Elsewhere');
    const id = await enqueueJob(t.database.db, { kind: 'no.such.kind.there', workspaceId: other.id });
    await drainJobs(t.deps);
    expect((await jobRow(id)).status).toBe('failed');
    expect((await admin.post(`/api/v1/jobs/${id}/retry`)).status).toBe(404);
    const ids = (await admin.get('/api/v1/jobs?limit=200')).body.data.map((job: { id: string }) => job.id);
    expect(ids).not.toContain(id);
  });

  it('gives each job to one runner when several poll at once', async () => {
    const counts = new Map<string, number>();
    const handlers = withHandlers({
      'test.count': async (job) => {
        counts.set(job.id, (counts.get(job.id) ?? 0) + 1);
      },
    });
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1)
      ids.push(await enqueueJob(t.database.db, { kind: 'test.count', workspaceId }));
    await Promise.all([
      runDueJobs(t.deps, handlers, 3),
      runDueJobs(t.deps, handlers, 3),
      drainJobs(t.deps, handlers),
    ]);
    expect(ids.map((id) => counts.get(id))).toEqual(ids.map(() => 1));
  });

  it('puts jobs left running by a stopped node back in the queue', async () => {
    const id = await enqueueJob(t.database.db, { kind: 'test.stuck', workspaceId });
    await t.database.db
      .updateTable('jobs')
      .set({ status: 'running', locked_at: new Date(Date.now() - 20 * 60_000) })
      .where('id', '=', id)
      .execute();
    expect(await requeueStuckJobs(t.database.db, 10 * 60_000)).toBeGreaterThanOrEqual(1);
    expect(await jobRow(id)).toMatchObject({ status: 'queued', locked_at: null });
  });
});

describe('SMTP failure', () => {
  it('records the error in the outbox, retries the job, and marks the message failed on the last attempt', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const broken = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${closedPort}` });
    try {
      const { client } = await signedInUser(broken, 'admin');
      const invited = await client.post('/api/v1/users', {
        email: 'nomail@example.com',
        name: 'No Mail',
        role: 'agent',
      });
      expect(invited.status).toBe(201);
      await drainJobs(broken.deps);

      const outbox = (await client.get('/api/v1/outbox')).body.data[0];
      expect(outbox).toMatchObject({ to: 'nomail@example.com', status: 'queued', attempts: 1, sentAt: null });
      expect(outbox.error).toMatch(/ECONNREFUSED|connect/i);
      const job = await broken.database.db
        .selectFrom('jobs')
        .selectAll()
        .where('kind', '=', 'mail.send')
        .executeTakeFirstOrThrow();
      expect(job).toMatchObject({ status: 'queued', attempts: 1 });
      expect(job.last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(job.run_at.getTime()).toBeGreaterThan(Date.now());

      await broken.database.db
        .updateTable('jobs')
        .set({ attempts: job.max_attempts - 1, run_at: sql<Date>`now()` })
        .where('id', '=', job.id)
        .execute();
      await drainJobs(broken.deps);
      const last = (await client.get('/api/v1/outbox')).body.data[0];
      expect(last).toMatchObject({ status: 'failed', attempts: 2 });
      expect(
        (await client.get('/api/v1/jobs?status=failed')).body.data.map((j: { id: string }) => j.id),
      ).toContain(job.id);
    } finally {
      await broken.close();
    }
  });
});
