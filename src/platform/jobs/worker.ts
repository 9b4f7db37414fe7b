import { sql } from 'kysely';
import type { AppDeps } from '../http/context.ts';
import { sendMailJob } from '../mail/outbox.ts';
import {
  type JobHandler,
  jobHandlers,
  markJobThrew,
  PermanentJobError,
  recurringJobFirstDelaysMs,
  recurringJobs,
} from './handlers.ts';
import { runMailJobs } from './mail-batch.ts';
import { claimDueJobs, enqueueJob, markJobDone, requeueStuckJobs } from './queue.ts';

const stuckAfterMs = 10 * 60_000;

/** Runs the jobs that are due now, one batch. Returns how many ran. */
export async function runDueJobs(
  deps: AppDeps,
  handlers: Record<string, JobHandler> = jobHandlers,
  batchSize = 10,
): Promise<number> {
  const jobs = await claimDueJobs(deps.db, batchSize);
  // Mail goes out as a batch (mail-batch.ts) when it runs the standard handler.
  let batchMail = handlers[sendMailJob] === jobHandlers[sendMailJob];
  if (batchMail) {
    try {
      await runMailJobs(
        deps,
        jobs.filter((job) => job.kind === sendMailJob),
      );
    } catch {
      // A batch statement failed (e.g. the connection dropped): the mail jobs run one by one below,
      // as the handler runs them (a message already sent is skipped), and the other jobs still run.
      batchMail = false;
    }
  }
  for (const job of jobs) {
    if (batchMail && job.kind === sendMailJob) continue;
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new PermanentJobError(`No handler for job kind "${job.kind}"`);
      await handler(job, deps);
      await markJobDone(deps.db, job.id);
    } catch (error) {
      await markJobThrew(deps.db, job, error);
    }
  }
  return jobs.length;
}

/** Runs every due job until none is left (tests, CLI). */
export async function drainJobs(deps: AppDeps, handlers?: Record<string, JobHandler>): Promise<number> {
  let total = 0;
  for (let ran = await runDueJobs(deps, handlers); ran > 0; ran = await runDueJobs(deps, handlers))
    total += ran;
  return total;
}

export interface Worker {
  stop(): Promise<void>;
}

/** Polls for due jobs until stopped; a stop waits for the running batch to finish. */
export async function startWorker(
  deps: AppDeps,
  log: (message: string, error?: unknown) => void,
): Promise<Worker> {
  await requeueStuckJobs(deps.db, stuckAfterMs);
  for (const kind of recurringJobs) {
    const scheduled = await deps.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', kind)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    const delayMs = recurringJobFirstDelaysMs[kind];
    if (!scheduled) await enqueueJob(deps.db, { kind, runAt: new Date(Date.now() + (delayMs ?? 0)) });
    else if (delayMs !== undefined)
      // Its run planned before a stop (overdue after a restart) waits too.
      await deps.db
        .updateTable('jobs')
        .set({ run_at: sql`greatest(run_at, now() + ${`${delayMs} milliseconds`}::interval)` })
        .where('kind', '=', kind)
        .where('status', '=', 'queued')
        .execute();
  }

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const tick = () => {
    current = (async () => {
      try {
        while (!stopped && (await runDueJobs(deps)) > 0) {}
      } catch (error) {
        log('job worker error', error);
      }
      if (!stopped) timer = setTimeout(tick, deps.config.JOBS_POLL_MS);
    })();
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
