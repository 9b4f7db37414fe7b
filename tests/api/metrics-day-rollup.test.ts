import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricCatalogue } from '../../src/features/metrics/catalogue.ts';
import { runMetric } from '../../src/features/metrics/run.ts';
import { BASE, change, insertItems, newWorld, plannedItem, zones } from '../support/metric-registers.ts';
import {
  addItems,
  applyChanges,
  expectMetricsEqualRaw,
  metricPeriod,
  newRegister,
  periodQuery,
  rollupRows,
} from '../support/metric-rollup-property.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The day rollups (migrations/0020_metric_day_rollup.sql, src/features/metrics/day-rollup.ts)
 * give exactly the raw answer: random registers are read (building the rollups), then changed
 * (inserts, resolves, reopens, closes, merges, escalations, reassignments, deletes…), then read
 * again, so the dirty-day queue is exercised; every standard metric, for random periods,
 * intervals, filters and time zones (DST ones, Chile's midnight switch), equals `source: 'raw'`.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const standardMetrics = metricCatalogue.filter((metric) => metric.compute.kind !== 'custom');
const day = (offset: number) => new Date(BASE + offset * 86_400_000).toISOString().slice(0, 10);

describe('metric day rollups equal the raw computation', () => {
  it('for random registers read, changed and read again', async () => {
    let built = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...zones, 'America/Santiago'),
        fc.array(plannedItem, { minLength: 1, maxLength: 30 }),
        fc.array(plannedItem, { maxLength: 8 }),
        fc.array(change, { maxLength: 16 }),
        metricPeriod,
        metricPeriod,
        async (timeZone, firstBatch, secondBatch, changes, first, second) => {
          const db = t.database.db;
          const register = await newRegister(db, timeZone, firstBatch);
          const { world } = register;
          await expectMetricsEqualRaw(db, world, standardMetrics, periodQuery(world, first));
          built += await rollupRows(db, world.workspaceId);
          // Changes after the rollups were built: new items, updates and deletes.
          await addItems(db, register, secondBatch);
          await applyChanges(db, register, changes);
          await expectMetricsEqualRaw(db, world, standardMetrics, periodQuery(world, first));
          await expectMetricsEqualRaw(db, world, standardMetrics, periodQuery(world, second));
        },
      ),
      { numRuns: 12 },
    );
    // The rollups were really built and read (not the facts fallback every time).
    expect(built).toBeGreaterThan(100);
  }, 1_200_000);

  it('holds today and the days after (from the facts for a metric that reads the clock), and follows a write between two reads', async () => {
    const db = t.database.db;
    const world = await newWorld(db, 'Europe/Amsterdam');
    const now = Date.now();
    const hours = (h: number) => new Date(now + h * 3_600_000).toISOString();
    const insert = async (created: string, resolved: string | null) => {
      const planned = fc.sample(plannedItem, { numRuns: 1, seed: 11 })[0]!;
      const [id] = await insertItems(db, world, [{ ...planned, toldOfFix: null }]);
      // Due times an hour after creation: the SLA metrics (which read the clock) have data today.
      await sql`update items set created_at = ${created}, resolved_at = ${resolved},
        first_response_due_at = ${created}::timestamptz + interval '30 minutes',
        resolution_due_at = ${created}::timestamptz + interval '1 hour', resolution_breached_at = null,
        status = ${resolved ? 'resolved' : 'new'}, staff_reply_count = 1, reopened_count = 0 where id = ${id}`.execute(
        db,
      );
      return id!;
    };
    for (const h of [-80, -50, -30, -20, -3]) await insert(hours(h), hours(h + 2));
    const dayOf = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
    const query = { from: dayOf(-5), to: dayOf(2), interval: 'day' as const };
    const fcr = metricCatalogue.find((metric) => metric.name === 'first_contact_resolution')!;
    const everyMetricEqualsRaw = async () => {
      for (const definition of standardMetrics)
        expect(await runMetric(db, world.workspaceId, definition, query), definition.name).toEqual(
          await runMetric(db, world.workspaceId, definition, query, { source: 'raw' }),
        );
    };
    await everyMetricEqualsRaw();
    const before = await runMetric(db, world.workspaceId, fcr, query);
    expect(before.total.denominator).toBe(5);
    expect(await rollupRows(db, world.workspaceId)).toBeGreaterThan(0);

    // A write between two reads: an item resolved three days ago is reopened, one resolved now.
    const reopened = await insert(hours(-75), hours(-72));
    await insert(hours(-1), hours(-0.5));
    const between = await runMetric(db, world.workspaceId, fcr, query);
    expect(between.total.denominator).toBe(7);
    await sql`update items set reopened_count = 1 where id = ${reopened}`.execute(db);
    const after = await runMetric(db, world.workspaceId, fcr, query);
    await everyMetricEqualsRaw();
    expect(after.total.numerator).toBe(between.total.numerator! - 1);
  });

  it('rebuilds the local day an instant is bucketed in where midnight happens twice (Azores, 25 October 2026)', async () => {
    // 00:30Z on 25 October is 00:30 local after the clocks went back from 01:00 to 00:00: the build
    // counts it in 24 October (its midnights are the later of two), though its local date is the 25th.
    const db = t.database.db;
    const register = await newRegister(
      db,
      'Atlantic/Azores',
      fc.sample(plannedItem, { numRuns: 1, seed: 1 }),
    );
    const id = register.ids[0]!;
    await sql`update items set created_at = '2026-10-25T00:30:00Z', escalated_at = null, escalation_level = 'agent',
      first_responded_at = null, first_response_due_at = null, resolution_due_at = null,
      first_response_breached_at = null, resolution_breached_at = null, resolved_at = null, closed_at = null,
      informed_at = null, thanked_at = null, status = 'new', merged_into_id = null where id = ${id}`.execute(
      db,
    );
    const query = { from: '2026-10-20', to: '2026-10-30', interval: 'day' as const };
    const rate = metricCatalogue.find((metric) => metric.name === 'escalation_rate_executive')!;
    const read = async () => {
      const rolledUp = await runMetric(db, register.world.workspaceId, rate, query);
      expect(rolledUp).toEqual(
        await runMetric(db, register.world.workspaceId, rate, query, { source: 'raw' }),
      );
      return rolledUp;
    };
    expect((await read()).series.find((point) => point.denominator)?.start).toBe('2026-10-24');
    await sql`update items set escalation_level = 'executive' where id = ${id}`.execute(db);
    expect((await read()).total.value).toBe(100);
  });

  it('does not lose a write committed while a rollup is being built (PostgreSQL server)', async () => {
    if (t.database.kind !== 'postgres') return;
    const db = t.database.db;
    const world = await newWorld(db, 'America/New_York');
    const planned = fc.sample(plannedItem, { numRuns: 40, seed: 5 });
    const ids = await insertItems(db, world, planned);
    const query = { from: day(0), to: day(90), interval: 'week' as const };
    const definition = metricCatalogue.find((metric) => metric.name === 'first_contact_resolution')!;
    // Reads run while writers reopen items, each in its own transaction, concurrently.
    await Promise.all([
      ...ids.slice(0, 10).map((id) =>
        db.transaction().execute(async (tx) => {
          await sql`update items set reopened_count = reopened_count + 1, resolved_at = coalesce(resolved_at, created_at + interval '1 hour')
            where id = ${id}`.execute(tx);
        }),
      ),
      ...Array.from({ length: 5 }, () => runMetric(db, world.workspaceId, definition, query)),
    ]);
    expect(await runMetric(db, world.workspaceId, definition, query)).toEqual(
      await runMetric(db, world.workspaceId, definition, query, { source: 'raw' }),
    );
  });
});
