import fc from 'fast-check';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { binNumericValues } from '../../src/features/problems/compare-bins.ts';
import {
  type ComparableScope,
  comparableItemCount,
  comparableOn,
  compareCounts,
  foldPendingCounts,
  linkedItemsSql,
} from '../../src/features/problems/compare-counts.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import type { ItemKind } from '../../src/shared/listening.ts';
import { plantItems, plantWorkspace, testDatabaseForFile } from '../support/planted-items.ts';

// The compare panel's counts from the observation_counts rollup (migration 0019) must equal
// counting the observations of the linked and comparable items directly, whatever happened to
// the items since: observations added in several statements, changed, removed; items moved to
// another category or kind, merged, deleted; deltas folded or not.

const testDb = testDatabaseForFile();
let db: Db;
beforeAll(() => {
  db = testDb();
});

const kinds: ItemKind[] = ['complaint', 'question', 'praise'];
const keys = ['flavour', 'minutes', 'store'];
const values: Record<string, string[]> = {
  flavour: ['vanilla', 'chocolate', 'mint'],
  minutes: ['1', '2', '3', '5', '8', '13', '21', '34', '55'],
  store: ['north', 'south'],
};

const itemArb = fc.record({
  category: fc.option(fc.nat(2), { nil: null }),
  kind: fc.nat(kinds.length - 1),
  linked: fc.boolean(),
  observations: fc.uniqueArray(
    fc.tuple(fc.nat(keys.length - 1), fc.nat(8)).map(([k, v]) => {
      const key = keys[k]!;
      return [key, values[key]![v % values[key]!.length]!] as const;
    }),
    { selector: ([key, value]) => `${key}=${value}`, maxLength: 4 },
  ),
});

const stepArb = fc.oneof(
  fc.record({
    op: fc.constant('move' as const),
    item: fc.nat(),
    what: fc.constantFrom('category', 'kind', 'both'),
    category: fc.option(fc.nat(2), { nil: null }),
    kind: fc.nat(2),
  }),
  fc.record({ op: fc.constant('forget' as const), item: fc.nat() }),
  fc.record({
    op: fc.constant('rewrite' as const),
    item: fc.nat(),
    value: fc.constantFrom('vanilla', 'pistachio', '4'),
  }),
  fc.record({ op: fc.constant('delete' as const), item: fc.nat() }),
  fc.record({ op: fc.constant('merge' as const), item: fc.nat(), into: fc.nat() }),
  fc.record({ op: fc.constant('fold' as const) }),
);

/** The computation the rollup replaces: every observation of the linked and comparable items. */
async function rawCounts(workspaceId: string, problemId: string, scope: ComparableScope) {
  const rows = await sql<{ key: string; value_key: string; linked_count: number; others_count: number }>`
    with linked as materialized (${linkedItemsSql(workspaceId, problemId)})
    select o.key, o.value_key,
      count(*) filter (where o.item_id in (select id from linked))::int as linked_count,
      count(*) filter (where o.item_id not in (select id from linked))::int as others_count
    from item_observations o join items i on i.id = o.item_id
    where o.workspace_id = ${workspaceId} and i.workspace_id = ${workspaceId}
      and (${comparableOn(scope, 'i')} or i.id in (select id from linked))
    group by o.key, o.value_key`.execute(db);
  const total = await sql<{ n: number }>`
    select count(*)::int as n from items i where i.workspace_id = ${workspaceId} and ${comparableOn(scope, 'i')}
      and i.id not in (${linkedItemsSql(workspaceId, problemId)})`.execute(db);
  return { rows: rows.rows, total: total.rows[0]!.n };
}

async function scopeOf(workspaceId: string, problemId: string): Promise<ComparableScope> {
  const row = await sql<{ category_ids: string[] | null; kinds: ItemKind[] | null }>`
    with linked as (${linkedItemsSql(workspaceId, problemId)})
    select array_agg(distinct i.category_id) filter (where i.category_id is not null) as category_ids,
      array_agg(distinct i.kind) as kinds
    from linked l join items i on i.id = l.id`.execute(db);
  return { categoryIds: row.rows[0]?.category_ids ?? [], kinds: row.rows[0]?.kinds ?? [] };
}

const sorted = <Row extends { key: string; value_key: string }>(rows: Row[]) =>
  [...rows].sort((a, b) => `${a.key}=${a.value_key}`.localeCompare(`${b.key}=${b.value_key}`));

describe('observation counts rollup', () => {
  it('gives the counts (and ranges) of the raw computation on random registers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(itemArb, { minLength: 1, maxLength: 25 }),
        fc.array(stepArb, { maxLength: 8 }),
        fc.boolean(),
        async (items, steps, noise) => {
          const workspaceId = await plantWorkspace(db, 'Compare');
          const categories = [newId(), newId(), newId()];
          await db
            .insertInto('item_categories')
            .values(categories.map((id, n) => ({ id, workspace_id: workspaceId, name: `C${n}` })))
            .execute();
          const problemId = newId();
          await db
            .insertInto('problems')
            .values({ id: problemId, workspace_id: workspaceId, title: 'P' })
            .execute();
          const ids = await plantItems(
            db,
            workspaceId,
            items.map((item) => ({
              kind: kinds[item.kind]!,
              category_id: item.category === null ? null : categories[item.category]!,
              problem_id: item.linked ? problemId : null,
            })),
          );
          // Observations in two statements (creation, then investigation).
          const observations = items.flatMap((item, n) =>
            item.observations.map(([key, value]) => ({
              id: newId(),
              workspace_id: workspaceId,
              item_id: ids[n]!,
              key,
              value_type: 'text' as const,
              value: JSON.stringify(value.toUpperCase()),
              value_key: value,
            })),
          );
          const half = Math.floor(observations.length / 2);
          for (const part of [observations.slice(0, half), observations.slice(half)]) {
            if (part.length > 0) await db.insertInto('item_observations').values(part).execute();
          }
          if (noise) await foldPendingCounts(db, workspaceId, 0);
          const alive = new Set(ids);
          for (const step of steps) {
            const id = ids[(step.op === 'fold' ? 0 : step.item) % ids.length]!;
            if (step.op !== 'fold' && !alive.has(id)) continue;
            if (step.op === 'move') {
              const category = step.category === null ? null : categories[step.category]!;
              await db
                .updateTable('items')
                .set(
                  step.what === 'category'
                    ? { category_id: category }
                    : step.what === 'kind'
                      ? { kind: kinds[step.kind]! }
                      : { category_id: category, kind: kinds[step.kind]! },
                )
                .where('id', '=', id)
                .execute();
            } else if (step.op === 'forget') {
              await db.deleteFrom('item_observations').where('item_id', '=', id).execute();
            } else if (step.op === 'rewrite') {
              // Like the erasure: values rewritten in place (an item may then hold a value twice;
              // both computations count observations, so they still agree).
              await db
                .updateTable('item_observations')
                .set({ value_key: step.value, value: JSON.stringify(step.value) })
                .where('item_id', '=', id)
                .execute();
            } else if (step.op === 'delete') {
              await db.deleteFrom('items').where('id', '=', id).execute();
              alive.delete(id);
            } else if (step.op === 'merge') {
              const into = ids[step.into % ids.length]!;
              if (into !== id && alive.has(into)) {
                await db.updateTable('items').set({ merged_into_id: into }).where('id', '=', id).execute();
              }
            } else {
              await foldPendingCounts(db, workspaceId, 0);
            }
          }
          const scope = await scopeOf(workspaceId, problemId);
          if (scope.kinds.length === 0) return; // nothing linked: the panel is empty
          const raw = await rawCounts(workspaceId, problemId, scope);
          const rolled = await compareCounts(db, workspaceId, problemId, scope);
          expect(sorted(rolled).map(({ shown: _, ...row }) => row)).toEqual(sorted(raw.rows));
          expect(await comparableItemCount(db, workspaceId, problemId, scope)).toBe(raw.total);
          // The numeric ranges are built from these counts, so they are the same too.
          const asValues = (rows: typeof raw.rows) =>
            sorted(rows)
              .filter((row) => row.key === 'minutes')
              .map((row) => ({
                value: row.value_key,
                linkedCount: row.linked_count,
                othersCount: row.others_count,
              }));
          expect(binNumericValues(asValues(rolled))).toEqual(binNumericValues(asValues(raw.rows)));
          // Folding everything changes nothing.
          await foldPendingCounts(db, workspaceId, 0);
          const folded = await compareCounts(db, workspaceId, problemId, scope);
          expect(sorted(folded)).toEqual(sorted(rolled));
        },
      ),
      { numRuns: 40 },
    );
  }, 300_000);

  it('follows an item moved out of the compared category', async () => {
    const workspaceId = await plantWorkspace(db, 'Moves');
    const [trips, billing] = [newId(), newId()];
    await db
      .insertInto('item_categories')
      .values([
        { id: trips, workspace_id: workspaceId, name: 'Trips' },
        { id: billing, workspace_id: workspaceId, name: 'Billing' },
      ])
      .execute();
    const problemId = newId();
    await db
      .insertInto('problems')
      .values({ id: problemId, workspace_id: workspaceId, title: 'P' })
      .execute();
    const [linked, other] = (await plantItems(db, workspaceId, [
      { category_id: trips, problem_id: problemId },
      { category_id: trips },
    ])) as [string, string];
    await db
      .insertInto('item_observations')
      .values(
        [linked, other].map((id) => ({
          id: newId(),
          workspace_id: workspaceId,
          item_id: id,
          key: 'flavour',
          value_type: 'text' as const,
          value: JSON.stringify('Vanilla'),
          value_key: 'vanilla',
        })),
      )
      .execute();
    const scope = { categoryIds: [trips], kinds: [] };
    const counts = async () =>
      (await compareCounts(db, workspaceId, problemId, scope)).map(
        ({ key, linked_count, others_count, shown }) => ({
          key,
          linked_count,
          others_count,
          shown,
        }),
      );
    expect(await counts()).toEqual([{ key: 'flavour', linked_count: 1, others_count: 1, shown: 'Vanilla' }]);
    await db.updateTable('items').set({ category_id: billing }).where('id', '=', other).execute();
    expect(await counts()).toEqual([{ key: 'flavour', linked_count: 1, others_count: 0, shown: 'Vanilla' }]);
    await db.deleteFrom('items').where('id', '=', other).execute();
    await foldPendingCounts(db, workspaceId, 0);
    expect(await counts()).toEqual([{ key: 'flavour', linked_count: 1, others_count: 0, shown: 'Vanilla' }]);
    const billingScope = { categoryIds: [billing], kinds: [] };
    expect(await compareCounts(db, workspaceId, problemId, billingScope)).toEqual([
      { key: 'flavour', value_key: 'vanilla', linked_count: 1, others_count: 0, shown: 'Vanilla' },
    ]);
  });
});
