import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricCatalogue } from '../../src/features/metrics/catalogue.ts';
import { newId } from '../../src/platform/ids.ts';
import type { MetricInterval } from '../../src/shared/metrics.ts';
import {
  BASE,
  change,
  filterChoice,
  insertItems,
  newWorld,
  plannedItem,
  zones,
} from '../support/metric-registers.ts';
import {
  addItems,
  applyChanges,
  costRollupRows,
  expectMetricsEqualRaw,
  moveItems,
  newRegister,
  periodQuery,
  rollupRows,
  shiftToNow,
} from '../support/metric-rollup-property.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The backlog metrics (src/features/metrics/snapshot-rollup.ts) and the cost metrics
 * (cost-rollup.ts) and self-service share from day rollups give exactly the raw answer: random registers, in the past or
 * moved to end around now (so snapshots are taken now, the running day read from the facts), are
 * read (building the rollups), changed (resolves, reopens, closes, merges, reassignments, channel
 * and handling-time changes, deletes: the dirty queue, with the age buckets' shifted days; and a
 * new cost settings version) and read again; every one of these metrics, for random periods,
 * intervals, filters and time zones, equals `source: 'raw'`, computed in the same transaction.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const backlogMetrics = metricCatalogue.filter((metric) => metric.name.startsWith('backlog_'));
// The cost metrics, and self-service share (its staff-handled count is a standard rollup).
const costMetrics = metricCatalogue.filter((metric) =>
  ['cost_per_request', 'total_service_cost', 'self_service_share'].includes(metric.name),
);
const rolledUp = [...backlogMetrics, ...costMetrics];
// Longer and later periods than the standard ones: around now, the register ends up to 20 days ago.
const period = fc.record({
  interval: fc.constantFrom<MetricInterval>('day', 'week', 'month'),
  start: fc.integer({ min: -10, max: 80 }),
  days: fc.integer({ min: 0, max: 90 }),
  filter: filterChoice,
});

describe('backlog and cost day rollups equal the raw computation', () => {
  it('for random registers read, changed and read again, in the past and around now', async () => {
    let built = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...zones, 'America/Santiago'),
        fc.option(fc.integer({ min: -3, max: 20 }), { nil: null }),
        fc.array(plannedItem, { minLength: 1, maxLength: 30 }),
        fc.array(plannedItem, { maxLength: 8 }),
        fc.array(change, { maxLength: 16 }),
        fc.boolean(),
        period,
        period,
        async (timeZone, endsAgo, firstBatch, secondBatch, changes, newPrices, first, second) => {
          const db = t.database.db;
          const register = await newRegister(db, timeZone, firstBatch);
          const { world } = register;
          const shiftMs = endsAgo === null ? 0 : shiftToNow(endsAgo);
          if (shiftMs !== 0) await moveItems(db, world, shiftMs);
          const base = BASE + shiftMs;
          await expectMetricsEqualRaw(db, world, rolledUp, periodQuery(world, first, base));
          built +=
            (await rollupRows(db, world.workspaceId, 'snapshot/%')) +
            (await costRollupRows(db, world.workspaceId));
          const added = await addItems(db, register, secondBatch);
          if (shiftMs !== 0 && added.length > 0) await moveItems(db, world, shiftMs, added);
          await applyChanges(db, register, changes);
          if (newPrices)
            await sql`insert into cost_settings (id, workspace_id, effective_from, currency, hourly_cost, per_contact, handling_minutes)
              values (${newId()}, ${world.workspaceId}, ${periodQuery(world, first, base).from}, 'EUR', 75,
                '{"email": 2.5, "chat": 1}', '{"phone": 12}')`.execute(db);
          await expectMetricsEqualRaw(db, world, rolledUp, periodQuery(world, first, base));
          await expectMetricsEqualRaw(db, world, rolledUp, periodQuery(world, second, base));
        },
      ),
      { numRuns: 16 },
    );
    expect(built).toBeGreaterThan(100);
  }, 1_200_000);

  it('takes the running snapshot now: the day so far from the facts', async () => {
    const db = t.database.db;
    for (const timeZone of ['Pacific/Kiritimati', 'Europe/Amsterdam', 'Pacific/Pago_Pago']) {
      const world = await newWorld(db, timeZone);
      const planned = fc.sample(plannedItem, { numRuns: 12, seed: 7 });
      const ids = await insertItems(db, world, planned);
      const ago = (hours: number) => `${hours} hours`;
      // Created, breached, resolved and aged (7 and 30 days) at instants between some local midnight and now.
      const moments: [number, number | null, number | null][] = [
        [0.5, null, null],
        [3, 1, null],
        [5, null, 0.2],
        [7 * 24 + 0.5, 3, null],
        [30 * 24 + 0.25, null, null],
        [26, 0.1, 20],
        [40, null, 2],
        [7 * 24 - 2, null, null],
      ];
      for (const [index, id] of ids.entries()) {
        const [created, breached, resolved] = moments[index % moments.length]!;
        await sql`update items set created_at = now() - ${ago(created)}::interval,
          first_response_breached_at = case when ${breached !== null} then now() - ${ago(breached ?? 0)}::interval end,
          resolution_breached_at = null, closed_at = null,
          resolved_at = case when ${resolved !== null} then now() - ${ago(resolved ?? 0)}::interval end,
          owner_id = case when ${index % 2 === 0} then null else owner_id end
          where id = ${id}`.execute(db);
      }
      const today = Date.now();
      const day = (offset: number) => new Date(today + offset * 86_400_000).toISOString().slice(0, 10);
      for (const interval of ['day', 'week'] as const) {
        const query = { from: day(-40), to: day(2), interval };
        await expectMetricsEqualRaw(db, world, backlogMetrics, query, timeZone);
      }
      expect(await rollupRows(db, world.workspaceId, 'snapshot/%')).toBeGreaterThan(0);
    }
  });
});
