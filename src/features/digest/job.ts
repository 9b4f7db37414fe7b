import { nowOf } from '../../platform/http/context.ts';
import type { JobHandler } from '../../platform/jobs/handlers.ts';
import { enqueueJob } from '../../platform/jobs/queue.ts';
import { nextDigestAt, sendDueDigests } from './service.ts';

/**
 * One global job for every workspace: it sends each workspace's digest that is due (Monday
 * 07:00 in the workspace's time zone has passed, not sent yet this week), then plans its next
 * run for the earliest next Monday 07:00 of any workspace. A workspace that failed is retried
 * in an hour.
 */
export const digestJob = 'goals.digest';
const retryMs = 3600_000;

export const digestJobHandlers: Record<string, JobHandler> = {
  [digestJob]: async (_job, deps) => {
    const now = nowOf(deps);
    const { failures } = await sendDueDigests(deps, now);
    const next = failures.length ? new Date(now.getTime() + retryMs) : await nextDigestAt(deps.db, now);
    // Job run times follow the database clock, not the app's (test) clock: plan by the delay.
    await enqueueJob(deps.db, {
      kind: digestJob,
      runAt: new Date(Date.now() + (next.getTime() - now.getTime())),
    });
    if (failures.length) {
      // Imported here: handlers.ts imports this module, a static import would be circular.
      const { PermanentJobError } = await import('../../platform/jobs/handlers.ts');
      throw new PermanentJobError(`Weekly digest failed for ${failures.join('; ')}`);
    }
  },
};
export const digestRecurringJobs: string[] = [digestJob];
