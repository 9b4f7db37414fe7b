import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricCatalogue } from '../../src/features/metrics/catalogue.ts';
import type { MetricDefinition } from '../../src/features/metrics/definition.ts';
import { runMetric, workspaceTimeZone } from '../../src/features/metrics/run.ts';
import { itemsScope } from '../../src/features/metrics/scope.ts';
import type { MetricFilter, MetricInterval } from '../../src/shared/metrics.ts';
import {
  BASE,
  change,
  filterChoice,
  filterOf,
  insertItems,
  newWorld,
  plannedItem,
  zones,
} from '../support/metric-registers.ts';
import { addItems, applyChanges, newRegister } from '../support/metric-rollup-property.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Metrics read `metric_item_facts`, kept equal to `items` by the triggers of 0019_metric_facts, and
 * bucket by width_bucket over the bucket bounds. This property test builds random registers —
 * items with random lifecycles written through inserts (one statement for many items, as COPY
 * does), then updates like the writers make (resolve, reopen, close, merge, escalate, reassign,
 * retag, recategorise, status-only changes) and deletes — in random time zones, and checks that:
 *  - the fact table equals the projection of `items`, row for row;
 *  - every metric of the catalogue, for a random period, interval and filter, gives the same
 *    series and total from the facts as from `items` (`source: 'raw'`);
 *  - the ratio, count and percentile metrics also equal the former computation (a time-zone
 *    conversion and a date formatting per row, grouped by the formatted date) run on `items`.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const factColumns = sql.raw(`id, workspace_id, kind, channel, priority, category_id, team_id, owner_id,
  organization_id, tags, merged_into_id, escalation_level, escalated_at, created_at, first_response_due_at,
  resolution_due_at, first_responded_at, first_response_breached_at, resolution_breached_at, resolved_at,
  informed_at, thanked_at, closed_at, reopened_count, staff_reply_count, handling_minutes`);

async function factsDifferFromItems(workspaceId: string): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from (
      (select ${factColumns} from items where workspace_id = ${workspaceId}
       except all select ${factColumns} from metric_item_facts where workspace_id = ${workspaceId})
      union all
      (select ${factColumns} from metric_item_facts where workspace_id = ${workspaceId}
       except all select ${factColumns} from items where workspace_id = ${workspaceId})
    ) d`.execute(t.database.db);
  return result.rows[0]!.n;
}

/** The former standard computation: each row's local bucket formatted, then grouped, on `items`. */
async function formerStandard(
  definition: MetricDefinition,
  workspaceId: string,
  query: { from: string; to: string; interval: MetricInterval } & MetricFilter,
): Promise<Map<string, { value?: number | null; n?: number; num?: number; den?: number }>> {
  const compute = definition.compute;
  if (compute.kind === 'custom') throw new Error('standard metrics only');
  const { from, to, interval, ...filter } = query;
  const tz = await workspaceTimeZone(t.database.db, workspaceId);
  const anchor = sql.ref(`i.${compute.anchor}`);
  const where = sql`${itemsScope(workspaceId, filter)} and ${anchor} >= (${from}::timestamp at time zone ${tz})
    and ${anchor} < ((${to}::date + 1)::timestamp at time zone ${tz})${compute.where ? sql` and (${compute.where})` : sql``}`;
  const bucket = sql`to_char(date_trunc(${interval}, ${anchor} at time zone ${tz}), 'YYYY-MM-DD')`;
  if (compute.kind === 'percentile') {
    const result = await sql<{ start: string | null; value: number | null; n: number }>`
      select start, percentile_cont(${compute.p}) within group (order by value) as value, count(*)::int as n
      from (select ${bucket} as start, (${compute.value})::float8 as value from items i where ${where}) x
      where value is not null group by grouping sets ((start), ())`.execute(t.database.db);
    const round = (v: number | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);
    return new Map(result.rows.map((row) => [row.start ?? 'total', { value: round(row.value), n: row.n }]));
  }
  const numerator = compute.kind === 'ratio' ? compute.numerator : sql`true`;
  const denominator = compute.kind === 'ratio' ? (compute.denominator ?? sql`true`) : sql`true`;
  const result = await sql<{ start: string | null; num: number; den: number }>`
    select ${bucket} as start, count(*) filter (where ${numerator})::int as num,
      count(*) filter (where ${denominator})::int as den
    from items i where ${where} group by grouping sets ((1), ())`.execute(t.database.db);
  return new Map(result.rows.map((row) => [row.start ?? 'total', { num: row.num, den: row.den }]));
}

describe('metric facts and the raw items give the same metrics', () => {
  it('for random registers, lifecycles, time zones, periods and filters', async () => {
    let measured = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...zones),
        fc.array(plannedItem, { minLength: 1, maxLength: 40 }),
        fc.array(plannedItem, { maxLength: 10 }),
        fc.array(change, { maxLength: 30 }),
        fc.constantFrom<MetricInterval>('day', 'week', 'month'),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 60 }),
        filterChoice,
        async (timeZone, firstBatch, secondBatch, changes, interval, startDay, days, choice) => {
          const db = t.database.db;
          // The second batch is inserted after half the changes, which then reach it too.
          const register = await newRegister(db, timeZone, firstBatch);
          const { world } = register;
          const half = Math.floor(changes.length / 2);
          await applyChanges(db, register, changes.slice(0, half));
          await addItems(db, register, secondBatch);
          await applyChanges(db, register, changes.slice(half));

          expect(await factsDifferFromItems(world.workspaceId)).toBe(0);

          const day = (offset: number) => new Date(BASE + offset * 86_400_000).toISOString().slice(0, 10);
          const query = {
            from: day(startDay),
            to: day(startDay + days),
            interval,
            ...filterOf(choice, world),
          };
          for (const definition of metricCatalogue) {
            const fromFacts = await runMetric(t.database.db, world.workspaceId, definition, query);
            const fromItems = await runMetric(t.database.db, world.workspaceId, definition, query, {
              source: 'raw',
            });
            expect(fromFacts, definition.name).toEqual(fromItems);
            if (definition.compute.kind === 'custom') continue;
            const former = await formerStandard(definition, world.workspaceId, query);
            const points = [...fromFacts.series, { start: 'total', ...fromFacts.total }];
            for (const point of points) {
              const expected = former.get(point.start);
              if (definition.compute.kind === 'percentile') {
                expect(point.value, `${definition.name} ${point.start}`).toEqual(expected?.value ?? null);
                expect(point.denominator, `${definition.name} ${point.start}`).toEqual(expected?.n ?? 0);
              } else {
                expect(point.numerator, `${definition.name} ${point.start}`).toEqual(expected?.num ?? 0);
                if (definition.compute.kind === 'ratio')
                  expect(point.denominator, `${definition.name} ${point.start}`).toEqual(expected?.den ?? 0);
              }
              if ((point.denominator ?? point.numerator ?? 0) > 0) measured++;
            }
            // No bucket of the former computation is left out of the series.
            for (const start of former.keys())
              expect(
                points.some((point) => point.start === start),
                `${definition.name} ${start}`,
              ).toBe(true);
          }
        },
      ),
      { numRuns: 15 },
    );
    // The registers are not all empty: many buckets had something to count.
    expect(measured).toBeGreaterThan(50);
  }, 900_000);

  it('overwrites a stale fact when its item is inserted (a restore may load the facts first), and follows a truncate', async () => {
    const world = await newWorld(t.database.db, 'Europe/Amsterdam');
    const db = t.database.db;
    const planned = fc
      .sample(plannedItem, { numRuns: 3, seed: 7 })
      .map((item) => ({ ...item, toldOfFix: null }));
    const [id] = await insertItems(t.database.db, world, planned);
    const copy = await sql<Record<string, unknown>>`select * from items where id = ${id}`.execute(db);
    const { ref: _ref, ...row } = copy.rows[0]!;
    await sql`delete from items where id = ${id}`.execute(db);
    expect(await factsDifferFromItems(world.workspaceId)).toBe(0);
    await sql`insert into metric_item_facts (id, workspace_id, kind, channel, priority, escalation_level, created_at)
      values (${id}, ${world.workspaceId}, 'praise', 'letter', 'low', 'agent', now())`.execute(db);
    await db
      .insertInto('items')
      .values(row as never)
      .execute();
    expect(await factsDifferFromItems(world.workspaceId)).toBe(0);
    await sql`truncate items cascade`.execute(db);
    const left = await sql<{ n: number }>`select count(*)::int as n from metric_item_facts`.execute(db);
    expect(left.rows[0]!.n).toBe(0);
  });
});
