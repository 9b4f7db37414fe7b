import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { JobHandler } from '../../platform/jobs/handlers.ts';
import { enqueueJob } from '../../platform/jobs/queue.ts';
import { metricCatalogue } from './catalogue.ts';
import { drainDirtyDays } from './day-rollup.ts';
import { runMetric } from './run.ts';

/**
 * The day rollups' dirty queue is consumed by metric reads; this job also consumes it every
 * quarter of an hour for every workspace, so a workspace whose metrics are never read does not
 * let it grow without bound, and then builds what it dropped (and any rollup not built yet) for
 * the metrics' usual periods, so that a read seldom has days to build: a first build over a large
 * register takes seconds, a read of built days milliseconds.
 */
export const metricDirtyDrainJob = 'metrics.drain_dirty_days';
const everyMs = 15 * 60_000;
/** Two years and a month back: a year's dashboard and its comparison with the year before. */
export const warmDays = 800;

/**
 * Reads every metric of the catalogue over the last `warmDays` days (to tomorrow) in each
 * workspace that has items, which builds their missing rollup days. Starts no metric after
 * `budgetMs` (the job runner runs one job at a time: mail and the SLA sweep wait meanwhile); the
 * next run goes on from there, since built days stay built. Returns the failures.
 */
export async function warmRollups(db: Db, budgetMs = 60_000): Promise<string[]> {
  const stopAt = performance.now() + budgetMs;
  const workspaces = await sql<{ id: string }>`
    select w.id from workspaces w where exists (select 1 from metric_item_facts f where f.workspace_id = w.id)`.execute(
    db,
  );
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const period = { from: day(-warmDays), to: day(1), interval: 'month' as const };
  const failed: string[] = [];
  for (const { id } of workspaces.rows) {
    for (const metric of metricCatalogue) {
      if (performance.now() > stopAt) return failed;
      try {
        await runMetric(db, id, metric, period);
      } catch (error) {
        failed.push(`${id} ${metric.name}: ${(error as Error).message}`);
      }
    }
  }
  return failed;
}

export const metricJobHandlers: Record<string, JobHandler> = {
  [metricDirtyDrainJob]: async (_job, deps) => {
    // The next run is planned first, so that a failing drain neither stops the timer nor is
    // retried next to it (as the SLA sweep does).
    await enqueueJob(deps.db, { kind: metricDirtyDrainJob, runAt: new Date(Date.now() + everyMs) });
    const failed = [...(await drainDirtyDays(deps.db)), ...(await warmRollups(deps.db))];
    if (failed.length > 0) {
      const { PermanentJobError } = await import('../../platform/jobs/handlers.ts');
      throw new PermanentJobError(
        `Draining or building the metric day rollups failed for ${failed.join('; ')}`,
      );
    }
  },
};
export const metricRecurringJobs: string[] = [metricDirtyDrainJob];
/**
 * A server's first run waits: a first build over a large register takes minutes, and an embedded
 * database runs one statement at a time, so it should not compete with the first pages served.
 */
export const metricRecurringFirstDelaysMs: Record<string, number> = { [metricDirtyDrainJob]: 5 * 60_000 };
