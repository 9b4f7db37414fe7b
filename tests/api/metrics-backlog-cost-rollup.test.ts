import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricCatalogue } from '../../src/features/metrics/catalogue.ts';
import { runMetric } from '../../src/features/metrics/run.ts';
import type { MetricInterval } from '../../src/shared/metrics.ts';
import {
  apply,
  BASE,
  change,
  filterChoice,
  filterOf,
  insertItems,
  newWorld,
  plannedItem,
  SPAN,
  type World,
  zones,
} from '../support/metric-registers.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The backlog metrics from day rollups (src/features/metrics/snapshot-rollup.ts) give exactly the
 * raw answer: random registers, in the past or moved to end around now (so snapshots are taken
 * now, with the running day read from the facts), are read (building the rollups), changed
 * (resolves, reopens, closes, merges, reassignments, deletes…: the dirty queue, with the age
 * buckets' shifted days) and read again; every backlog metric, for random periods, intervals,
 * filters and time zones, equals `source: 'raw'`. Both are computed in one transaction, so they
 * share the instant `now()`.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const backlogMetrics = metricCatalogue.filter((metric) => metric.name.startsWith('backlog_'));
const period = fc.record({
  interval: fc.constantFrom<MetricInterval>('day', 'week', 'month'),
  start: fc.integer({ min: -10, max: 80 }),
  days: fc.integer({ min: 0, max: 90 }),
  filter: filterChoice,
});
type Period = typeof period extends fc.Arbitrary<infer T> ? T : never;

const timestampColumns = [
  'created_at',
  'escalated_at',
  'first_response_due_at',
  'resolution_due_at',
  'first_responded_at',
  'first_response_breached_at',
  'resolution_breached_at',
  'resolved_at',
  'informed_at',
  'thanked_at',
  'closed_at',
];

/** Moves every timestamp of the world's items so that the register's span ends `endsAgo` days before now. */
async function moveToNow(world: World, endsAgo: number): Promise<number> {
  const shiftMs = Date.now() - endsAgo * 86_400_000 - (BASE + SPAN * 60_000);
  const sets = sql.join(
    timestampColumns.map(
      (column) => sql`${sql.ref(column)} = ${sql.ref(column)} + ${`${shiftMs} milliseconds`}::interval`,
    ),
  );
  await sql`update items set ${sets} where workspace_id = ${world.workspaceId}`.execute(t.database.db);
  return shiftMs;
}

async function expectRollupEqualsRaw(world: World, asked: Period, base: number) {
  const day = (offset: number) => new Date(base + offset * 86_400_000).toISOString().slice(0, 10);
  const query = {
    from: day(asked.start),
    to: day(asked.start + asked.days),
    interval: asked.interval,
    ...filterOf(asked.filter, world),
  };
  await t.database.db.transaction().execute(async (tx) => {
    for (const definition of backlogMetrics) {
      const rolledUp = await runMetric(tx, world.workspaceId, definition, query);
      const raw = await runMetric(tx, world.workspaceId, definition, query, { source: 'raw' });
      expect(rolledUp, `${definition.name} ${JSON.stringify(asked)}`).toEqual(raw);
    }
  });
}

async function snapshotRows(workspaceId: string): Promise<number> {
  const result = await sql<{ n: number }>`select count(*)::int as n from metric_day_rollup
    where workspace_id = ${workspaceId} and metric like 'snapshot/%'`.execute(t.database.db);
  return result.rows[0]!.n;
}

describe('backlog day rollups equal the raw computation', () => {
  it('for random registers read, changed and read again, in the past and around now', async () => {
    let built = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...zones, 'America/Santiago'),
        fc.option(fc.integer({ min: -3, max: 20 }), { nil: null }),
        fc.array(plannedItem, { minLength: 1, maxLength: 30 }),
        fc.array(plannedItem, { maxLength: 8 }),
        fc.array(change, { maxLength: 16 }),
        period,
        period,
        async (timeZone, endsAgo, firstBatch, secondBatch, changes, first, second) => {
          const db = t.database.db;
          const world = await newWorld(db, timeZone);
          const ids = await insertItems(db, world, firstBatch);
          const shiftMs = endsAgo === null ? 0 : await moveToNow(world, endsAgo);
          const base = BASE + shiftMs;
          const withEvents = new Set(ids.filter((_, index) => firstBatch[index]!.toldOfFix !== null));
          await expectRollupEqualsRaw(world, first, base);
          built += await snapshotRows(world.workspaceId);
          const added = await insertItems(db, world, secondBatch);
          if (endsAgo !== null && added.length > 0)
            await sql`update items set created_at = created_at + ${`${shiftMs} milliseconds`}::interval,
              resolved_at = resolved_at + ${`${shiftMs} milliseconds`}::interval,
              closed_at = closed_at + ${`${shiftMs} milliseconds`}::interval,
              first_response_breached_at = first_response_breached_at + ${`${shiftMs} milliseconds`}::interval,
              resolution_breached_at = resolution_breached_at + ${`${shiftMs} milliseconds`}::interval
              where id = any(${added}::uuid[])`.execute(db);
          for (const [index, id] of added.entries())
            if (secondBatch[index]!.toldOfFix !== null) withEvents.add(id);
          ids.push(...added);
          for (const step of changes) await apply(db, world, ids, withEvents, step);
          await expectRollupEqualsRaw(world, first, base);
          await expectRollupEqualsRaw(world, second, base);
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
        await db.transaction().execute(async (tx) => {
          for (const definition of backlogMetrics) {
            const rolledUp = await runMetric(tx, world.workspaceId, definition, query);
            const raw = await runMetric(tx, world.workspaceId, definition, query, { source: 'raw' });
            expect(rolledUp, `${definition.name} ${timeZone} ${interval}`).toEqual(raw);
          }
        });
      }
      expect(await snapshotRows(world.workspaceId)).toBeGreaterThan(0);
    }
  });
});
