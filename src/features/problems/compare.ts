import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import type { Auth, RequestContext } from '../../platform/http/context.ts';
import { type ItemKind, itemKindLabels } from '../../shared/listening.ts';
import type { ProblemCompare } from '../../shared/problems.ts';
import { binNumericValues } from './compare-bins.ts';
import { comparableItemCount, compareCounts, linkedScopeSql } from './compare-counts.ts';

/*
 * The compare panel: for the items linked to a problem (and the duplicates merged into them),
 * how often each observed value occurs, next to the same key across comparable items that are
 * not linked. "Comparable": items of the workspace in the same categories as the linked ones;
 * when no linked item has a category, items of the same kinds. Shares are of the items that
 * recorded the key (an item that never recorded "flavour" says nothing about flavours); an item
 * that recorded two values for a key counts once per value, so withKey counts item-value pairs
 * and the shares of a side add up to 1. Keys are sorted by the total variation
 * distance between the two distributions (½ Σ |linkedShare − othersShare|, capped at 1), which
 * is 1 when no value is shared and 0 when they look alike. Keys recorded on only one side
 * cannot separate anything and get 0. Numeric keys with many distinct values are compared as
 * ranges (compare-bins.ts), else every number would look like a perfect separator.
 */

interface Scope {
  categoryIds: string[];
  categoryNames: string[];
  kinds: ItemKind[];
  linked: number;
}

async function scopeOf(db: Queryable, workspaceId: string, problemId: string): Promise<Scope> {
  const result = await sql<{
    linked: number;
    category_ids: string[] | null;
    category_names: string[] | null;
    kinds: ItemKind[] | null;
  }>`
    with linked as (${linkedScopeSql(workspaceId, problemId)})
    select count(*)::int as linked,
      array_agg(distinct l.category_id) filter (where l.category_id is not null) as category_ids,
      array_agg(distinct c.name) filter (where c.name is not null) as category_names,
      array_agg(distinct l.kind) as kinds
    from linked l
    left join item_categories c on c.id = l.category_id`.execute(db);
  const row = result.rows[0];
  return {
    linked: row?.linked ?? 0,
    categoryIds: row?.category_ids ?? [],
    categoryNames: (row?.category_names ?? []).sort(),
    kinds: row?.kinds ?? [],
  };
}

function describeScope(scope: Scope): string {
  if (scope.linked === 0) return 'No items are linked yet.';
  if (scope.categoryIds.length > 0) {
    const names = scope.categoryNames.map((name) => `"${name}"`).join(', ');
    return `Items in the ${scope.categoryIds.length > 1 ? 'categories' : 'category'} ${names} that are not linked to this problem.`;
  }
  const kinds = scope.kinds.map((kind) => itemKindLabels[kind].toLowerCase()).join(', ');
  return `Items of the same kind (${kinds}) that are not linked to this problem; no linked item has a category.`;
}

export async function compareProblem(
  ctx: RequestContext,
  auth: Auth,
  problemId: string,
): Promise<ProblemCompare> {
  const db = ctx.deps.db;
  const workspaceId = auth.workspaceId;
  const problem = await db
    .selectFrom('problems')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', problemId)
    .executeTakeFirst();
  if (!problem) throw notFound('The problem');
  const scope = await scopeOf(db, workspaceId, problemId);
  const comparableScope = describeScope(scope);
  if (scope.linked === 0) return { linkedItems: 0, comparableItems: 0, comparableScope, keys: [] };
  // Counts from the per-category rollup (compare-counts.ts): the cost follows the linked items
  // and the number of distinct values, not the number of comparable items.
  const rows = await compareCounts(db, workspaceId, problemId, scope);
  const othersTotal = await comparableItemCount(db, workspaceId, problemId, scope);
  const keys = new Map<string, ProblemCompare['keys'][number]>();
  const keyOf = (key: string) => {
    let entry = keys.get(key);
    if (!entry) {
      entry = { key, separation: 0, linkedWithKey: 0, othersWithKey: 0, values: [] };
      keys.set(key, entry);
    }
    return entry;
  };
  for (const row of rows) {
    const entry = keyOf(row.key);
    entry.linkedWithKey += row.linked_count;
    entry.othersWithKey += row.others_count;
    entry.values.push({
      value: row.shown ?? row.value_key,
      linkedCount: row.linked_count,
      linkedShare: 0,
      othersCount: row.others_count,
      othersShare: 0,
    });
  }
  const share = (count: number, total: number) => (total === 0 ? 0 : count / total);
  for (const entry of keys.values()) {
    entry.values = binNumericValues(entry.values).map((value) => ({
      ...value,
      linkedShare: 0,
      othersShare: 0,
    }));
    let distance = 0;
    for (const value of entry.values) {
      value.linkedShare = share(value.linkedCount, entry.linkedWithKey);
      value.othersShare = share(value.othersCount, entry.othersWithKey);
      distance += Math.abs(value.linkedShare - value.othersShare);
    }
    entry.separation =
      entry.linkedWithKey === 0 || entry.othersWithKey === 0
        ? 0
        : Math.min(1, Math.round((distance / 2) * 1e6) / 1e6);
    entry.values.sort(
      (a, b) =>
        b.linkedShare - a.linkedShare || b.othersShare - a.othersShare || a.value.localeCompare(b.value),
    );
  }
  const sorted = [...keys.values()].sort(
    (a, b) => b.separation - a.separation || b.linkedWithKey - a.linkedWithKey || a.key.localeCompare(b.key),
  );
  return { linkedItems: scope.linked, comparableItems: othersTotal, comparableScope, keys: sorted };
}
