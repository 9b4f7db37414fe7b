import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { type JobHandler, jobHandlers } from '../../src/platform/jobs/handlers.ts';
import { drainJobs } from '../../src/platform/jobs/worker.ts';
import { sendMailJob } from '../../src/platform/mail/outbox.ts';
import { plantWorkspace } from '../support/planted-items.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

// The job runner sends the mail.send jobs of a batch together (src/platform/jobs/mail-batch.ts).
// Whatever the mix of jobs (queued messages, a message already sent, a missing outbox row, a job
// without outboxId, jobs of other kinds), the outbox and the jobs end as the one-job-at-a-time
// handler leaves them.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());
const jobArb = fc.constantFrom('queued', 'sent', 'missing_row', 'no_payload', 'bad_id', 'other_kind');

/** The standard handler behind a wrapper: the worker then runs mail jobs one by one. */
const sendOne: JobHandler = (job, deps) => jobHandlers[sendMailJob]!(job, deps);
const oneByOne = { ...jobHandlers, [sendMailJob]: sendOne };

describe('mail.send jobs in batches', () => {
  it('leave the outbox and the jobs as sending them one by one does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(jobArb, { minLength: 1, maxLength: 30 }), async (kinds) => {
        const db = t.database.db;
        const outcomes = [];
        for (const handlers of [undefined, oneByOne]) {
          const workspaceId = await plantWorkspace(db, 'Mail');
          const jobIds: string[] = [];
          for (const [n, kind] of kinds.entries()) {
            const outboxId = newId();
            if (kind === 'queued' || kind === 'sent') {
              await db
                .insertInto('outbox')
                .values({
                  id: outboxId,
                  workspace_id: workspaceId,
                  to_address: `c${n}@example.com`,
                  subject: `Mail ${n}`,
                  text_body: 'Hello',
                  status: kind,
                })
                .execute();
            }
            const id = newId();
            jobIds.push(id);
            await db
              .insertInto('jobs')
              .values({
                id,
                kind: kind === 'other_kind' ? 'bench.unknown' : sendMailJob,
                payload: JSON.stringify(
                  kind === 'no_payload' ? {} : { outboxId: kind === 'bad_id' ? 'not-an-id' : outboxId },
                ),
                workspace_id: workspaceId,
                status: 'queued',
                run_at: new Date(Date.now() - 1000),
                max_attempts: 5,
              })
              .execute();
          }
          await drainJobs(t.deps, handlers);
          const jobs = await db
            .selectFrom('jobs')
            .select(['status', 'last_error', 'attempts'])
            .where('id', 'in', jobIds)
            .orderBy('id')
            .execute();
          const outbox = await db
            .selectFrom('outbox')
            .select(['to_address', 'status', 'error'])
            .where('workspace_id', '=', workspaceId)
            .orderBy('to_address')
            .execute();
          outcomes.push({ jobs, outbox });
        }
        expect(outcomes[0]).toEqual(outcomes[1]);
      }),
      { numRuns: 30 },
    );
  }, 120_000);

  it('a batch statement that fails leaves no job running: mail goes one by one, other jobs still run', async () => {
    const db = t.database.db;
    const workspaceId = await plantWorkspace(db, 'Failing batch');
    // Marking two or more mail jobs done in one statement fails; one at a time works.
    await sql`create function fail_mail_batch() returns trigger language plpgsql as $$
      begin
        if (select count(*) from done_jobs where kind = 'mail.send' and status = 'done') > 1 then
          raise exception 'batch update failed';
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger fail_mail_batch after update on jobs referencing new table as done_jobs
      for each statement execute function fail_mail_batch()`.execute(db);
    try {
      const jobIds: string[] = [];
      for (const n of [1, 2, 3]) {
        const outboxId = newId();
        await db
          .insertInto('outbox')
          .values({
            id: outboxId,
            workspace_id: workspaceId,
            to_address: `f${n}@example.com`,
            status: 'queued',
            subject: 'F',
            text_body: 'Hi',
          })
          .execute();
        jobIds.push(newId());
        await db
          .insertInto('jobs')
          .values({
            id: jobIds.at(-1)!,
            kind: sendMailJob,
            payload: JSON.stringify({ outboxId }),
            workspace_id: workspaceId,
            status: 'queued',
            run_at: new Date(Date.now() - 1000),
          })
          .execute();
      }
      const otherId = newId();
      await db
        .insertInto('jobs')
        .values({
          id: otherId,
          kind: 'test.other',
          payload: '{}',
          status: 'queued',
          run_at: new Date(Date.now() - 1000),
        })
        .execute();
      let otherRan = false;
      const handlers: Record<string, JobHandler> = {
        ...jobHandlers,
        'test.other': async () => {
          otherRan = true;
        },
      };
      await drainJobs(t.deps, handlers);
      expect(otherRan).toBe(true);
      const jobs = await db
        .selectFrom('jobs')
        .select(['status'])
        .where('id', 'in', [...jobIds, otherId])
        .execute();
      expect(jobs.map((job) => job.status)).toEqual(['done', 'done', 'done', 'done']);
      const outbox = await db
        .selectFrom('outbox')
        .select('status')
        .where('workspace_id', '=', workspaceId)
        .execute();
      expect(outbox.map((row) => row.status)).toEqual(['not_sent', 'not_sent', 'not_sent']);
    } finally {
      await sql`drop trigger fail_mail_batch on jobs`.execute(db);
      await sql`drop function fail_mail_batch()`.execute(db);
    }
  });
});
