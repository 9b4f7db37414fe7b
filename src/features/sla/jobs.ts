import type { JobHandler } from '../../platform/jobs/handlers.ts';
import { enqueueJob } from '../../platform/jobs/queue.ts';
import { recomputeOpenItems } from './recompute.ts';
import { sweepSla } from './sweep.ts';

export const slaSweepJob = 'sla.sweep';
export const slaRecomputeJob = 'sla.recompute';
const sweepEveryMs = 60_000;

/** SLA jobs: the sweep (every minute, plans its own next run) and recomputing due times. */
export const slaJobHandlers: Record<string, JobHandler> = {
  [slaSweepJob]: async (_job, deps) => {
    // The next run is planned first, so that a failing sweep neither stops the timer nor is
    // retried next to it. Job run times follow the database clock, not the app's (test) clock.
    await enqueueJob(deps.db, { kind: slaSweepJob, runAt: new Date(Date.now() + sweepEveryMs) });
    try {
      await sweepSla(deps);
    } catch (error) {
      // Imported here: handlers.ts imports this module, a static import would be circular.
      const { PermanentJobError } = await import('../../platform/jobs/handlers.ts');
      throw new PermanentJobError(`SLA sweep failed: ${(error as Error).message}`);
    }
  },
  [slaRecomputeJob]: async (job, deps) => {
    const { workspaceId } = job.payload as { workspaceId?: string };
    if (!workspaceId) return;
    await recomputeOpenItems(deps, workspaceId);
  },
};
export const slaRecurringJobs: string[] = [slaSweepJob];
