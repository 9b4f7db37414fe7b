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
    // The next run is planned first, so that a failing drain neither stops the timer nor is
    // retried next to it (as the SLA sweep does).
    await enqueueJob(deps.db, { kind: metricDirtyDrainJob, runAt: new Date(Date.now() + everyMs) });
    const failed = await drainDirtyDays(deps.db);
    if (failed.length > 0) {
      const { PermanentJobError } = await import('../../platform/jobs/handlers.ts');
      throw new PermanentJobError(`Draining the metric day queue failed for ${failed.join('; ')}`);
    }
  },
};
export const metricRecurringJobs: string[] = [metricDirtyDrainJob];
