import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricCatalogue } from '../../src/features/metrics/catalogue.ts';
import { metricDirtyDrainJob, warmRollups } from '../../src/features/metrics/dirty-job.ts';
import { runMetric } from '../../src/features/metrics/run.ts';
import { jobHandlers, recurringJobs } from '../../src/platform/jobs/handlers.ts';
import { drainJobs, startWorker } from '../../src/platform/jobs/worker.ts';
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
 * workspaces whose metrics are not read, dropping the rollup days concerned, builds them again
 * (and the rollups nobody read yet) and plans its next run; the metrics read afterwards find
 * nothing to build and still equal the raw computation.
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
  it('first runs five minutes after a server starts, also when its planned run is overdue (a first build must not hold up its first pages)', async () => {
    const db = t.database.db;
    const plannedInMinutes = async () => {
      const worker = await startWorker(t.deps, () => {});
      await worker.stop();
      const planned = await sql<{ minutes: number }>`
        select round(extract(epoch from run_at - now()) / 60)::int as minutes from jobs
        where kind = ${metricDirtyDrainJob} and status = 'queued'`.execute(db);
      return planned.rows;
    };
    await sql`delete from jobs where kind = ${metricDirtyDrainJob}`.execute(db);
    expect(await plannedInMinutes()).toEqual([{ minutes: 5 }]);
    // A run planned before the server stopped, overdue by an hour.
    await sql`update jobs set run_at = now() - interval '1 hour' where kind = ${metricDirtyDrainJob}`.execute(
      db,
    );
    expect(await plannedInMinutes()).toEqual([{ minutes: 5 }]);
    // One planned later keeps its time.
    await sql`update jobs set run_at = now() + interval '12 minutes' where kind = ${metricDirtyDrainJob}`.execute(
      db,
    );
    expect(await plannedInMinutes()).toEqual([{ minutes: 12 }]);
  });

  it('starts no metric past its time budget; the next run goes on from there', async () => {
    const db = t.database.db;
    const register = await newRegister(db, 'UTC', fc.sample(plannedItem, { numRuns: 5, seed: 4 }));
    const built = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from metric_day_built
          where workspace_id = ${register.world.workspaceId}`.execute(db)
      ).rows[0]!.n;
    expect(await warmRollups(db, -1)).toEqual([]);
    expect(await built()).toBe(0);
    expect(await warmRollups(db)).toEqual([]);
    expect(await built()).toBeGreaterThan(0);
  });

  it('is recurring, empties every workspace queue, builds the dropped and unread rollups and plans its next run', async () => {
    expect(recurringJobs).toContain(metricDirtyDrainJob);
    const db = t.database.db;
    const planned = fc.sample(plannedItem, { numRuns: 40, seed: 3 });
    const read = await newRegister(db, 'Europe/Amsterdam', planned.slice(0, 20));
    const unread = await newRegister(db, 'America/New_York', planned.slice(20));
    const neverRead = await newRegister(db, 'Asia/Tokyo', planned.slice(10, 30));
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
    const builtDays = async (workspaceId: string) =>
      (
        await sql<{ n: number }>`select count(*)::int as n from metric_day_built
          where workspace_id = ${workspaceId}`.execute(db)
      ).rows[0]!.n;
    const built = await builtDays(unread.world.workspaceId);
    expect(await builtDays(neverRead.world.workspaceId)).toBe(0);
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
    // The job built every metric's rollup over the last two years, dropped days included.
    const rebuilt = await sql<{ n: number }>`select count(*)::int as n from metric_day_built
      where workspace_id = ${unread.world.workspaceId} and day = current_date - 400`.execute(db);
    expect(rebuilt.rows[0]!.n).toBeGreaterThan(0);
    expect(await builtDays(unread.world.workspaceId)).toBeGreaterThan(built);
    expect(await builtDays(neverRead.world.workspaceId)).toBeGreaterThan(0);
    const next = await sql<{
      later: boolean;
    }>`select run_at > now() + interval '10 minutes' as later from jobs
      where kind = ${metricDirtyDrainJob} and status = 'queued'`.execute(db);
    expect(next.rows).toEqual([{ later: true }]);
    // Reads find nothing left to build, and equal the raw computation.
    const before = await builtDays(unread.world.workspaceId);
    for (const register of [read, unread, neverRead])
      await expectMetricsEqualRaw(db, register.world, metrics, query, register.world.workspaceId);
    expect(await builtDays(unread.world.workspaceId)).toBe(before);
    expect(await runMetric(db, unread.world.workspaceId, metrics[0]!, query)).toEqual(
      await runMetric(db, unread.world.workspaceId, metrics[0]!, query, { source: 'raw' }),
    );
  });
});
