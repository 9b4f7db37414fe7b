import fc from 'fast-check';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { queuedAnchors } from '../../src/features/metrics/day-rollup.ts';
import type { MetricDefinition } from '../../src/features/metrics/definition.ts';
import { runMetric } from '../../src/features/metrics/run.ts';
import type { Db } from '../../src/platform/db/database.ts';
import type { MetricInterval } from '../../src/shared/metrics.ts';
import {
  apply,
  BASE,
  type Change,
  filterChoice,
  filterOf,
  insertItems,
  newWorld,
  type PlannedItem,
  SPAN,
  type World,
} from './metric-registers.ts';

/**
 * What the metric equality tests share (tests/api/metrics-rollup.test.ts, metrics-day-rollup,
 * metrics-backlog-cost-rollup): a register of random items with the ids of those that have events
 * (never deleted), changes applied to it, random periods, and the comparison of a metric with its
 * raw computation.
 */
export interface Register {
  world: World;
  /** Item ids in insertion order; '' once deleted. */
  ids: string[];
  withEvents: Set<string>;
}

export async function newRegister(db: Db, timeZone: string, planned: PlannedItem[]): Promise<Register> {
  const register: Register = { world: await newWorld(db, timeZone), ids: [], withEvents: new Set() };
  await addItems(db, register, planned);
  return register;
}

/** Inserts items (one statement) into the register; returns their ids. */
export async function addItems(db: Db, register: Register, planned: PlannedItem[]): Promise<string[]> {
  const added = await insertItems(db, register.world, planned);
  for (const [index, id] of added.entries())
    if (planned[index]!.toldOfFix !== null) register.withEvents.add(id);
  register.ids.push(...added);
  return added;
}

export async function applyChanges(db: Db, register: Register, changes: Change[]) {
  for (const step of changes) await apply(db, register.world, register.ids, register.withEvents, step);
}

/** A period relative to the register's first day, with an interval and a filter. */
export const metricPeriod = fc.record({
  interval: fc.constantFrom<MetricInterval>('day', 'week', 'month'),
  start: fc.integer({ min: -5, max: 40 }),
  days: fc.integer({ min: 0, max: 80 }),
  filter: filterChoice,
});
export type MetricPeriod = typeof metricPeriod extends fc.Arbitrary<infer T> ? T : never;

/** The metric query of a period, counted in days from `base` (default: the registers' BASE). */
export function periodQuery(world: World, asked: MetricPeriod, base = BASE) {
  const day = (offset: number) => new Date(base + offset * 86_400_000).toISOString().slice(0, 10);
  return {
    from: day(asked.start),
    to: day(asked.start + asked.days),
    interval: asked.interval,
    ...filterOf(asked.filter, world),
  };
}

/**
 * Each metric from its default source (the rollups where they apply) equals `source: 'raw'`, both
 * computed in one transaction so that they share `now()`.
 */
export async function expectMetricsEqualRaw(
  db: Db,
  world: World,
  metrics: MetricDefinition[],
  query: ReturnType<typeof periodQuery>,
  label = '',
) {
  await db.transaction().execute(async (tx) => {
    for (const definition of metrics) {
      const rolledUp = await runMetric(tx, world.workspaceId, definition, query);
      const raw = await runMetric(tx, world.workspaceId, definition, query, { source: 'raw' });
      expect(rolledUp, `${definition.name} ${label} ${JSON.stringify(query)}`).toEqual(raw);
    }
  });
}

/** How many rows of the workspace's day rollups (of keys like `like`) exist: proof they were read. */
export async function rollupRows(db: Db, workspaceId: string, like = '%'): Promise<number> {
  const result = await sql<{ n: number }>`select count(*)::int as n from metric_day_rollup
    where workspace_id = ${workspaceId} and metric like ${like}`.execute(db);
  return result.rows[0]!.n;
}

export async function costRollupRows(db: Db, workspaceId: string): Promise<number> {
  const result = await sql<{ n: number }>`select count(*)::int as n from metric_day_cost
    where workspace_id = ${workspaceId}`.execute(db);
  return result.rows[0]!.n;
}

/**
 * Moves every timestamp of the given items (default: the world's) by `shiftMs`; `shiftToNow` gives
 * the shift that makes the registers' span end `endsAgo` days before now.
 */
export async function moveItems(db: Db, world: World, shiftMs: number, ids?: string[]) {
  const by = `${shiftMs} milliseconds`;
  const sets = sql.join(
    // The item timestamps the facts mirror: the columns the dirty queue names.
    queuedAnchors.map((column) => sql`${sql.ref(column)} = ${sql.ref(column)} + ${by}::interval`),
  );
  await sql`update items set ${sets} where workspace_id = ${world.workspaceId}
    and (${ids === undefined} or id = any(${ids ?? []}::uuid[]))`.execute(db);
}

export const shiftToNow = (endsAgo: number) => Date.now() - endsAgo * 86_400_000 - (BASE + SPAN * 60_000);
