import type { JobRow } from '../db/tables.ts';
import type { AppDeps } from '../http/context.ts';
import { deliverOutboxMessage, noSmtpMessage } from '../mail/outbox.ts';
import { mailJobOutboxId, markJobThrew, missingOutboxId } from './handlers.ts';
import { markJobFailed, markJobsDone } from './queue.ts';

/**
 * The mail.send jobs of one claimed batch, with a few statements for the batch instead of three
 * per job (read the outbox row, mark it, mark the job done): what the mail.send handler does for
 * each job. Without SMTP every message is marked "not sent" in one UPDATE. With SMTP each
 * message is delivered on its own (deliverOutboxMessage: a failure is recorded and retried) and
 * the delivered jobs are marked done together: a crash in between runs them again, and a
 * message already sent is then skipped (its outbox status says so).
 */
export async function runMailJobs(deps: AppDeps, jobs: JobRow[]): Promise<void> {
  const outboxIds = new Map<string, string>();
  for (const job of jobs) {
    const outboxId = mailJobOutboxId(job);
    if (outboxId) outboxIds.set(job.id, outboxId);
    else await markJobFailed(deps.db, job, missingOutboxId, true);
  }
  const runnable = jobs.filter((job) => outboxIds.has(job.id));
  if (runnable.length === 0) return;
  if (!deps.config.SMTP_URL) {
    try {
      await deps.db
        .updateTable('outbox')
        .set({ status: 'not_sent', error: noSmtpMessage })
        .where('id', 'in', [...new Set(outboxIds.values())])
        .where('status', '<>', 'sent')
        .execute();
    } catch (error) {
      // As a failing handler: each job is retried later (none is left running).
      for (const job of runnable) await markJobFailed(deps.db, job, (error as Error).message, false);
      return;
    }
    await markJobsDone(
      deps.db,
      runnable.map((job) => job.id),
    );
    return;
  }
  const done: string[] = [];
  for (const job of runnable) {
    try {
      await deliverOutboxMessage(
        deps.db,
        deps.config,
        outboxIds.get(job.id)!,
        job.attempts >= job.max_attempts,
      );
      done.push(job.id);
    } catch (error) {
      await markJobThrew(deps.db, job, error);
    }
  }
  await markJobsDone(deps.db, done);
}
