import { sql } from 'kysely';
import { digestJobHandlers, digestRecurringJobs } from '../../features/digest/job.ts';
import { importJob, importJobHandler } from '../../features/imports/job.ts';
import { inboundJobHandlers } from '../../features/mail-in/jobs.ts';
import { duplicatesRefreshJob, refreshDuplicates } from '../../features/merges/refresh.ts';
import {
  metricJobHandlers,
  metricRecurringFirstDelaysMs,
  metricRecurringJobs,
} from '../../features/metrics/dirty-job.ts';
import { purgeDeleted } from '../../features/people/purge.ts';
import { purgeExpiredPortalRows } from '../../features/portal/auth/service.ts';
import { slaJobHandlers, slaRecurringJobs } from '../../features/sla/jobs.ts';
import type { JobRow } from '../db/tables.ts';
import type { AppDeps } from '../http/context.ts';
import { uuidPattern } from '../ids.ts';
import { deliverOutboxMessage, sendMailJob } from '../mail/outbox.ts';
import { enqueueJob, markJobFailed } from './queue.ts';

export type JobHandler = (job: JobRow, deps: AppDeps) => Promise<void>;

/** A handler throws this when retrying cannot help (the job fails at once). */
export class PermanentJobError extends Error {}

export const missingOutboxId = 'payload.outboxId is missing or not an id';

/** A mail.send job's outbox row id, or null when its payload has none (the job cannot succeed). */
export function mailJobOutboxId(job: JobRow): string | null {
  const { outboxId } = job.payload as { outboxId?: unknown };
  return typeof outboxId === 'string' && uuidPattern.test(outboxId) ? outboxId : null;
}

/** Records what a job's run threw: a PermanentJobError fails it for good, anything else retries it. */
export function markJobThrew(db: AppDeps['db'], job: JobRow, error: unknown): Promise<void> {
  return markJobFailed(
    db,
    job,
    (error as Error).message || String(error),
    error instanceof PermanentJobError,
  );
}

export const maintenanceJob = 'maintenance.cleanup';
const maintenanceEveryMs = 3600_000;

/** Jobs that plan their own next run; the worker queues each at start when none is planned. */
export const recurringJobs = [
  maintenanceJob,
  duplicatesRefreshJob,
  ...slaRecurringJobs,
  ...digestRecurringJobs,
  ...metricRecurringJobs,
];
/** How long after a server starts a recurring job first runs, when not at once. */
export const recurringJobFirstDelaysMs: Record<string, number> = { ...metricRecurringFirstDelaysMs };

/** Every kind of job and what runs it. Features add their kinds here. */
export const jobHandlers: Record<string, JobHandler> = {
  ...slaJobHandlers,
  ...inboundJobHandlers,
  ...digestJobHandlers,
  ...metricJobHandlers,
  [importJob]: importJobHandler,
  [duplicatesRefreshJob]: async (_job, deps) => refreshDuplicates(deps),
  [sendMailJob]: async (job, deps) => {
    const outboxId = mailJobOutboxId(job);
    if (!outboxId) throw new PermanentJobError(missingOutboxId);
    await deliverOutboxMessage(deps.db, deps.config, outboxId, job.attempts >= job.max_attempts);
  },

  /** Removes expired sessions, old rate-limit windows and idempotency keys, refreshes statistics; then plans its next run. */
  [maintenanceJob]: async (_job, deps) => {
    await deps.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('sessions').where('expires_at', '<', sql<Date>`now()`).execute();
      await tx
        .deleteFrom('rate_limits')
        .where('window_start', '<', sql<Date>`now() - interval '1 day'`)
        .execute();
      await tx
        .deleteFrom('idempotency_keys')
        .where('created_at', '<', sql<Date>`now() - interval '1 day'`)
        .execute();
      await tx
        .deleteFrom('jobs')
        .where('status', '=', 'done')
        .where('finished_at', '<', sql<Date>`now() - interval '7 days'`)
        .execute();
      // Uploads cut off by a crashed node never finish: drop them (and their stored chunks).
      await tx
        .deleteFrom('imports')
        .where('status', '=', 'uploading')
        .where('created_at', '<', sql<Date>`now() - interval '1 day'`)
        .execute();
      await purgeDeleted(tx);
      await purgeExpiredPortalRows(tx);
      // Planner statistics: PGlite runs no autovacuum, so nothing else would ever refresh them.
      await sql`analyze`.execute(tx);
      await enqueueJob(tx, { kind: maintenanceJob, runAt: new Date(Date.now() + maintenanceEveryMs) });
    });
  },
};
