import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { AppDeps } from '../../platform/http/context.ts';
import { enqueueJob } from '../../platform/jobs/queue.ts';

/**
 * Duplicate candidates are computed after the fact: triggers on people queue the ids of
 * changed people (migration 0005) and this job works the queue off, so an import or a bulk
 * edit pays one small insert per person instead of three similarity probes.
 */
export const duplicatesRefreshJob = 'duplicates.refresh';

const batchSize = 1000;
const busyForMs = 20_000;
const idleEveryMs = 15_000;
/** A read of the duplicates list first takes this many of its workspace's queued people. */
export const drainOnReadLimit = 500;

/** Computes the candidates of up to `max` queued people (of one workspace, or of any). */
export async function drainDuplicateQueue(db: Queryable, workspaceId: string | null, max: number) {
  const { rows } = await sql<{ taken: number }>`
    select duplicate_queue_drain(${workspaceId}::uuid, ${max}::integer) as taken`.execute(db);
  return rows[0]?.taken ?? 0;
}

/** Works the queue off for a while, then plans its next run (at once when people are still waiting). */
export async function refreshDuplicates(deps: AppDeps): Promise<void> {
  const started = Date.now();
  let taken = batchSize;
  while (taken === batchSize && Date.now() - started < busyForMs) {
    taken = await deps.db.transaction().execute((tx) => drainDuplicateQueue(tx, null, batchSize));
  }
  const more = taken === batchSize;
  await enqueueJob(deps.db, {
    kind: duplicatesRefreshJob,
    runAt: new Date(Date.now() + (more ? 0 : idleEveryMs)),
  });
}
