import { sql } from 'kysely';
import type { Db, Queryable } from '../db/database.ts';
import type { JobRow } from '../db/tables.ts';
import { newId } from '../ids.ts';

export interface NewJob {
  kind: string;
  payload?: Record<string, unknown>;
  workspaceId?: string | null;
  runAt?: Date;
  maxAttempts?: number;
}

/** Queues a job; call it inside the transaction that makes the job necessary. */
function jobRow(job: NewJob) {
  return {
    id: newId(),
    kind: job.kind,
    payload: JSON.stringify(job.payload ?? {}),
    workspace_id: job.workspaceId ?? null,
    status: 'queued' as const,
    run_at: job.runAt ?? new Date(),
    max_attempts: job.maxAttempts ?? 5,
  };
}

export async function enqueueJob(db: Queryable, job: NewJob): Promise<string> {
  const row = jobRow(job);
  await db.insertInto('jobs').values(row).execute();
  return row.id;
}

/** Queues several jobs in one statement. */
export async function enqueueJobs(db: Queryable, jobs: NewJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await db.insertInto('jobs').values(jobs.map(jobRow)).execute();
}

/**
 * Claims due jobs atomically. `FOR UPDATE SKIP LOCKED` lets several nodes poll one database
 * without taking the same job twice.
 */
export async function claimDueJobs(db: Db, limit: number): Promise<JobRow[]> {
  const result = await sql<JobRow>`
    update jobs set status = 'running', locked_at = now(), attempts = attempts + 1
    where id in (
      select id from jobs where status = 'queued' and run_at <= now()
      order by run_at limit ${limit} for update skip locked)
    returning *`.execute(db);
  return result.rows;
}

export async function markJobDone(db: Db, id: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'done', finished_at: new Date(), locked_at: null })
    .where('id', '=', id)
    .execute();
}

/** Marks several jobs done in one statement. */
export async function markJobsDone(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('jobs')
    .set({ status: 'done', finished_at: new Date(), locked_at: null })
    .where('id', 'in', ids)
    .execute();
}

/** Exponential backoff with jitter: ~10 s, 20 s, 40 s … capped at one hour. */
export function backoffMs(attempts: number, random = Math.random()): number {
  const base = Math.min(3600_000, 10_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + random * 0.4));
}

export async function markJobFailed(db: Db, job: JobRow, error: string, permanent: boolean): Promise<void> {
  const final = permanent || job.attempts >= job.max_attempts;
  await db
    .updateTable('jobs')
    .set(
      final
        ? { status: 'failed', last_error: error, finished_at: new Date(), locked_at: null }
        : {
            status: 'queued' as const,
            last_error: error,
            locked_at: null,
            run_at: new Date(Date.now() + backoffMs(job.attempts)),
          },
    )
    .where('id', '=', job.id)
    .execute();
}

/** Jobs left running by a node that crashed go back to the queue. */
export async function requeueStuckJobs(db: Db, olderThanMs: number): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'queued', locked_at: null, last_error: 'requeued: the node running it stopped' })
    .where('status', '=', 'running')
    .where('locked_at', '<', new Date(Date.now() - olderThanMs))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
