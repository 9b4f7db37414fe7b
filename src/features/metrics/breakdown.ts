import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { itemChannelLabels, itemKindLabels } from '../../shared/listening.ts';
import type {
  BreakdownDimension,
  BreakdownRow,
  MetricBreakdown,
  MetricBreakdownQuery,
  MetricFilter,
  MetricPoint,
} from '../../shared/metrics.ts';
import { infoOf, type MetricDefinition } from './definition.ts';
import { metricItemsTable } from './facts.ts';
import { inPeriod, metricContext, percentOf, runComputation, workspaceTimeZone } from './run.ts';

type Total = Omit<MetricPoint, 'start'>;

interface Dimension {
  column: string;
  /** How one value narrows the filter (so a custom metric computes it like any filtered query). */
  narrow(value: string): MetricFilter;
  noneLabel: string;
  /** Labels of the values (names of teams, categories, users), looked up in the workspace. */
  labels?(db: Queryable, workspaceId: string, ids: string[]): Promise<Map<string, string>>;
}

const namesFrom =
  (table: 'teams' | 'item_categories' | 'users') =>
  async (db: Queryable, workspaceId: string, ids: string[]) => {
    if (ids.length === 0) return new Map<string, string>();
    const result = await sql<{ id: string; name: string }>`
      select id, name from ${sql.table(table)}
      where workspace_id = ${workspaceId} and id in (${sql.join(ids)})`.execute(db);
    return new Map(result.rows.map((row) => [row.id, row.name]));
  };

const fixedLabels = (labels: Record<string, string>) => async (_db: Queryable, _ws: string, ids: string[]) =>
  new Map(ids.map((id) => [id, labels[id] ?? id]));

const dimensions: Record<BreakdownDimension, Dimension> = {
  channel: {
    column: 'channel',
    narrow: (value) => ({ channel: [value as never] }),
    noneLabel: 'No channel',
    labels: fixedLabels(itemChannelLabels),
  },
  kind: {
    column: 'kind',
    narrow: (value) => ({ kind: [value as never] }),
    noneLabel: 'No kind',
    labels: fixedLabels(itemKindLabels),
  },
  priority: {
    column: 'priority',
    narrow: (value) => ({ priority: [value as never] }),
    noneLabel: 'No priority',
    labels: fixedLabels({ low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' }),
  },
  team: {
    column: 'team_id',
    narrow: (value) => ({ teamId: value }),
    noneLabel: 'No team',
    labels: namesFrom('teams'),
  },
  category: {
    column: 'category_id',
    narrow: (value) => ({ categoryId: value }),
    noneLabel: 'No category',
    labels: namesFrom('item_categories'),
  },
  owner: {
    column: 'owner_id',
    narrow: (value) => ({ ownerId: value }),
    noneLabel: 'No owner',
    labels: namesFrom('users'),
  },
};

interface Group {
  value: string | null;
  total: Total;
  /** How many items the value has in the scope: the biggest values are kept. */
  weight: number;
}

/**
 * Ratios, counts and percentiles: one query grouped by the dimension, the same computation as the
 * metric's total (the totals equal GET /metrics/:name with the filter narrowed to each value).
 */
async function standardGroups(
  definition: MetricDefinition,
  db: Queryable,
  workspaceId: string,
  query: MetricBreakdownQuery,
  column: RawBuilder<unknown>,
  timeZone: string,
): Promise<Group[]> {
  const compute = definition.compute;
  if (compute.kind === 'custom') throw new Error('standardGroups: a custom metric');
  const { by: _by, limit: _limit, ...rest } = query;
  const context = await metricContext(
    db,
    workspaceId,
    { ...rest, interval: 'month' },
    { withBuckets: false, timeZone },
  );
  const where = inPeriod(compute.anchor, context, compute.where);
  if (compute.kind === 'percentile') {
    const result = await sql<{ value: string | null; p: number | null; n: number }>`
      select x.value, percentile_cont(${compute.p}) within group (order by x.v) as p, count(*)::int as n
      from (select ${column}::text as value, (${compute.value})::float8 as v from ${metricItemsTable(context)} i where ${where}) x
      where x.v is not null
      group by x.value`.execute(db);
    return result.rows.map((row) => ({
      value: row.value,
      total: {
        value: row.p === null ? null : Math.round(Number(row.p) * 10) / 10,
        numerator: null,
        denominator: row.n,
      },
      weight: row.n,
    }));
  }
  const numerator = compute.kind === 'ratio' ? compute.numerator : sql`true`;
  const denominator = compute.kind === 'ratio' ? (compute.denominator ?? sql`true`) : sql`true`;
  const result = await sql<{ value: string | null; num: number; den: number }>`
    select ${column}::text as value,
      count(*) filter (where ${numerator})::int as num,
      count(*) filter (where ${denominator})::int as den
    from ${metricItemsTable(context)} i where ${where}
    group by 1`.execute(db);
  return result.rows.map((row) => ({
    value: row.value,
    total:
      compute.kind === 'ratio'
        ? { value: percentOf(row.num, row.den), numerator: row.num, denominator: row.den }
        : { value: row.num, numerator: row.num, denominator: null },
    weight: compute.kind === 'ratio' ? row.den : row.num,
  }));
}

/**
 * Custom metrics (backlog, costs, self-service, fix reach) compute from more than the items of the
 * period: their candidate values are those of the items alive in it (created before its end, not
 * finished before its start), the biggest `limit` of them; each is then computed with the filter
 * narrowed to it, concurrently. Items without a value are computed with an `is null` scope.
 */
async function customGroups(
  definition: MetricDefinition,
  db: Queryable,
  workspaceId: string,
  query: MetricBreakdownQuery,
  dimension: Dimension,
  timeZone: string,
): Promise<{ groups: Group[]; truncated: boolean }> {
  const { by: _by, limit, ...rest } = query;
  const base = await metricContext(db, workspaceId, { ...rest, interval: 'month' }, { timeZone });
  const column = sql.ref(`i.${dimension.column}`);
  const candidates = await sql<{ value: string | null; n: number }>`
    select ${column}::text as value, count(*)::int as n
    from ${metricItemsTable(base)} i
    where ${base.itemsScope}
      and i.created_at < ((${query.to}::date + 1)::timestamp at time zone ${timeZone})
      and coalesce(least(i.closed_at, i.resolved_at), 'infinity') >= (${query.from}::timestamp at time zone ${timeZone})
    group by 1
    order by 2 desc, 1
    limit ${limit + 1}`.execute(db);
  const kept = candidates.rows.slice(0, limit);
  const groups = await Promise.all(
    kept.map(async (candidate) => {
      const filter = candidate.value === null ? {} : dimension.narrow(candidate.value);
      const context = {
        ...base,
        filter: { ...base.filter, ...filter },
        itemsScope:
          candidate.value === null
            ? sql`${base.itemsScope} and ${column} is null`
            : sql`${base.itemsScope} and ${column} = ${candidate.value}`,
      };
      const result = await runComputation(definition, context);
      return { value: candidate.value, total: result.total, weight: candidate.n };
    }),
  );
  return { groups, truncated: candidates.rows.length > limit };
}

const hasData = (total: Total) =>
  total.value !== null && !(total.value === 0 && !total.numerator && !total.denominator);

/**
 * A metric's total for the period once per value of a dimension (which channel, team or category
 * moves it): the biggest values by number of items, best value first; values with no data left out.
 */
export async function metricBreakdown(
  db: Queryable,
  workspaceId: string,
  definition: MetricDefinition,
  query: MetricBreakdownQuery,
): Promise<MetricBreakdown> {
  const dimension = dimensions[query.by];
  const timeZone = await workspaceTimeZone(db, workspaceId);
  let groups: Group[];
  let truncated: boolean;
  if (definition.compute.kind === 'custom') {
    ({ groups, truncated } = await customGroups(definition, db, workspaceId, query, dimension, timeZone));
  } else {
    const all = await standardGroups(
      definition,
      db,
      workspaceId,
      query,
      sql.ref(`i.${dimension.column}`),
      timeZone,
    );
    all.sort((a, b) => b.weight - a.weight || String(a.value).localeCompare(String(b.value)));
    groups = all.slice(0, query.limit);
    truncated = all.length > query.limit;
  }
  const present = groups.filter((group) => hasData(group.total));
  const ids = present.flatMap((group) => (group.value === null ? [] : [group.value]));
  const labels = (await dimension.labels?.(db, workspaceId, ids)) ?? new Map<string, string>();
  const better = definition.better === 'up' ? -1 : 1;
  const data: BreakdownRow[] = present
    .sort((a, b) => better * ((a.total.value ?? 0) - (b.total.value ?? 0)) || b.weight - a.weight)
    .map((group) => ({
      value: group.value,
      label: group.value === null ? dimension.noneLabel : (labels.get(group.value) ?? group.value),
      total: group.total,
    }));
  return { metric: infoOf(definition), by: query.by, from: query.from, to: query.to, data, truncated };
}
