import type { JobHandler } from '../../platform/jobs/handlers.ts';
import { enqueueJob } from '../../platform/jobs/queue.ts';
import { drainDirtyDays } from './day-rollup.ts';

/**
 * The day rollups' dirty queue is consumed by metric reads; this job also consumes it every
 * quarter of an hour for every workspace, so a workspace whose metrics are never read does not
 * let it grow without bound. Consuming only drops the rollup days concerned (a read rebuilds them).
 */
export const metricDirtyDrainJob = 'metrics.drain_dirty_days';
const everyMs = 15 * 60_000;

export const metricJobHandlers: Record<string, JobHandler> = {
  [metricDirtyDrainJob]: async (_job, deps) => {
    await drainDirtyDays(deps.db);
    await enqueueJob(deps.db, { kind: metricDirtyDrainJob, runAt: new Date(Date.now() + everyMs) });
  },
};
export const metricRecurringJobs: string[] = [metricDirtyDrainJob];
