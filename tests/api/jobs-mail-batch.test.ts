import fc from 'fast-check';
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
const jobArb = fc.constantFrom('queued', 'sent', 'missing_row', 'no_payload', 'other_kind');

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
                payload: JSON.stringify(kind === 'no_payload' ? {} : { outboxId }),
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
});
