import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricCatalogue } from '../../src/features/metrics/catalogue.ts';
import { metricDirtyDrainJob } from '../../src/features/metrics/dirty-job.ts';
import { runMetric } from '../../src/features/metrics/run.ts';
import { jobHandlers, recurringJobs } from '../../src/platform/jobs/handlers.ts';
import { drainJobs } from '../../src/platform/jobs/worker.ts';
import { plannedItem } from '../support/metric-registers.ts';
import {
  addItems,
  applyChanges,
  expectMetricsEqualRaw,
  newRegister,
} from '../support/metric-rollup-property.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The periodic job (src/features/metrics/dirty-job.ts) empties the day rollups' dirty queue of
 * workspaces whose metrics are not read, dropping the rollup days concerned, and plans its next
 * run; the metrics read afterwards still equal the raw computation.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const queued = async (workspaceId: string) =>
  (
    await sql<{
      n: number;
    }>`select count(*)::int as n from metric_day_dirty where workspace_id = ${workspaceId}`.execute(
      t.database.db,
    )
  ).rows[0]!.n;

describe('the dirty queue drain job', () => {
  it('is recurring, empties every workspace queue, drops the touched days and plans its next run', async () => {
    expect(recurringJobs).toContain(metricDirtyDrainJob);
    const db = t.database.db;
    const planned = fc.sample(plannedItem, { numRuns: 40, seed: 3 });
    const read = await newRegister(db, 'Europe/Amsterdam', planned.slice(0, 20));
    const unread = await newRegister(db, 'America/New_York', planned.slice(20));
    const query = { from: '2026-02-15', to: '2026-05-15', interval: 'week' as const };
    const metrics = metricCatalogue.filter((metric) =>
      [
        'first_contact_resolution',
        'resolution_median_minutes',
        'backlog_open',
        'total_service_cost',
      ].includes(metric.name),
    );
    for (const register of [read, unread])
      await expectMetricsEqualRaw(db, register.world, metrics, query, register.world.workspaceId);
    const built = await sql<{ n: number }>`select count(*)::int as n from metric_day_built
      where workspace_id = ${unread.world.workspaceId}`.execute(db);
    // Writes in both workspaces queue dirty days; nobody reads the second one's metrics again.
    for (const register of [read, unread]) {
      await addItems(db, register, fc.sample(plannedItem, { numRuns: 3, seed: 9 }));
      await applyChanges(db, register, [
        { item: 1, other: 2, op: 'resolve', minutes: 90 },
        { item: 3, other: 0, op: 'close', minutes: 30 },
        { item: 5, other: 6, op: 'merge', minutes: 10 },
      ]);
      expect(await queued(register.world.workspaceId)).toBeGreaterThan(0);
    }
    await sql`delete from jobs where kind = ${metricDirtyDrainJob}`.execute(db);
    await sql`insert into jobs (id, kind, payload, status, run_at, max_attempts)
      values (gen_random_uuid(), ${metricDirtyDrainJob}, '{}', 'queued', now(), 5)`.execute(db);
    await drainJobs(t.deps, { [metricDirtyDrainJob]: jobHandlers[metricDirtyDrainJob]! });

    for (const register of [read, unread]) expect(await queued(register.world.workspaceId)).toBe(0);
    const after = await sql<{ n: number }>`select count(*)::int as n from metric_day_built
      where workspace_id = ${unread.world.workspaceId}`.execute(db);
    expect(after.rows[0]!.n).toBeLessThan(built.rows[0]!.n);
    const next = await sql<{
      later: boolean;
    }>`select run_at > now() + interval '10 minutes' as later from jobs
      where kind = ${metricDirtyDrainJob} and status = 'queued'`.execute(db);
    expect(next.rows).toEqual([{ later: true }]);
    // The dropped days are rebuilt on the next read, equal to the raw computation.
    for (const register of [read, unread])
      await expectMetricsEqualRaw(db, register.world, metrics, query, register.world.workspaceId);
    expect(await runMetric(db, unread.world.workspaceId, metrics[0]!, query)).toEqual(
      await runMetric(db, unread.world.workspaceId, metrics[0]!, query, { source: 'raw' }),
    );
  });
});
