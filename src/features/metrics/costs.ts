import { type RawBuilder, sql } from 'kysely';
import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import { toPage } from '../../platform/http/pagination.ts';
import { newId } from '../../platform/ids.ts';
import type { CostSettingsBody, CostSettingsStatus, CostSettingsVersion } from '../../shared/metric-costs.ts';
import type { MetricPoint } from '../../shared/metrics.ts';
import { costDaysFromRollup } from './cost-rollup.ts';
import type { MetricRunContext } from './definition.ts';
import { metricItemsTable } from './facts.ts';
import { fillSeries, inPeriod, workspaceTimeZone } from './run.ts';

interface CostSettingsRow {
  id: string;
  status: CostSettingsStatus;
  effective_from: string;
  currency: string;
  hourly_cost: string | number;
  per_contact: Record<string, number> | string;
  handling_minutes: Record<string, number> | string;
  created_by: string | null;
  created_at: Date | string;
}

const json = (value: Record<string, number> | string) =>
  typeof value === 'string' ? (JSON.parse(value) as Record<string, number>) : value;

function view(row: CostSettingsRow): CostSettingsVersion {
  return {
    id: row.id,
    status: row.status,
    effectiveFrom: row.effective_from,
    currency: row.currency,
    hourlyCost: Number(row.hourly_cost),
    perContact: json(row.per_contact),
    handlingMinutes: json(row.handling_minutes),
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/**
 * The workspace's cost settings as validity ranges: each version holds from its day `f` until the
 * next version's `u` (null: still in force); the newest of a day wins.
 */
export function costVersions(workspaceId: string): RawBuilder<unknown> {
  return sql`select effective_from as f, lead(effective_from) over (order by effective_from) as u,
      hourly_cost, per_contact, handling_minutes
    from (
      select distinct on (effective_from) * from cost_settings
      where workspace_id = ${workspaceId} order by effective_from, id desc
    ) c`;
}

/** Today in the workspace's time zone, as SQL (a date). */
async function workspaceToday(db: Queryable, workspaceId: string, now: Date) {
  const timeZone = await workspaceTimeZone(db, workspaceId);
  return sql`(${now.toISOString()}::timestamptz at time zone ${timeZone})::date`;
}

/**
 * Versions of the workspace with their status against today: the current one is the newest
 * (latest effectiveFrom, then latest added) from today or before.
 */
async function selectVersions(
  db: Queryable,
  workspaceId: string,
  now: Date,
  where: RawBuilder<unknown>,
  limit: number,
) {
  const today = await workspaceToday(db, workspaceId, now);
  const result = await sql<CostSettingsRow>`
    select c.id, to_char(c.effective_from, 'YYYY-MM-DD') as effective_from, c.currency, c.hourly_cost,
      c.per_contact, c.handling_minutes, c.created_by, c.created_at,
      case
        when c.effective_from > ${today} then 'scheduled'
        when c.id = (select id from cost_settings where workspace_id = ${workspaceId}
          and effective_from <= ${today} order by effective_from desc, id desc limit 1) then 'current'
        when exists (select 1 from cost_settings o where o.workspace_id = c.workspace_id
          and o.effective_from = c.effective_from and o.id > c.id) then 'superseded'
        else 'past'
      end as status
    from cost_settings c
    where c.workspace_id = ${workspaceId} and ${where}
    order by c.id desc limit ${limit}`.execute(db);
  return result.rows;
}

/** Every version of the cost settings, newest first (keyset on the UUIDv7 id). */
export async function listCostSettings(
  db: Queryable,
  workspaceId: string,
  now: Date,
  options: { after?: string; limit: number },
) {
  const rows = await selectVersions(
    db,
    workspaceId,
    now,
    options.after ? sql`c.id < ${options.after}` : sql`true`,
    options.limit + 1,
  );
  return toPage(rows, options.limit, view);
}

/**
 * Adds a version of the cost settings. Earlier versions stay: items created before
 * `effectiveFrom` keep their price. Two versions from the same day: the newer one wins.
 */
export async function addCostSettings(
  ctx: RequestContext,
  auth: Auth,
  input: CostSettingsBody,
): Promise<CostSettingsVersion> {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const id = newId();
    await sql`
      insert into cost_settings
        (id, workspace_id, effective_from, currency, hourly_cost, per_contact, handling_minutes, created_by)
      values (${id}, ${auth.workspaceId}, ${input.effectiveFrom}::date, ${input.currency},
        ${input.hourlyCost}, ${JSON.stringify(input.perContact)}::jsonb,
        ${JSON.stringify(input.handlingMinutes)}::jsonb, ${auth.userId})`.execute(tx);
    const [row] = await selectVersions(tx, auth.workspaceId, nowOf(ctx.deps), sql`c.id = ${id}`, 1);
    const version = view(row!);
    await audit(tx, auditContext(ctx), {
      action: 'cost_settings.created',
      entity: 'cost_settings',
      entityId: version.id,
      after: version,
    });
    return version;
  });
}

/**
 * Deletes a version that is not in force yet (a mistake caught in time). A version from today or
 * earlier has priced items: it stays, so history stays true; a newer version corrects it.
 */
export async function deleteCostSettings(ctx: RequestContext, auth: Auth, id: string): Promise<void> {
  await ctx.deps.db.transaction().execute(async (tx) => {
    await sql`select id from cost_settings where workspace_id = ${auth.workspaceId} and id = ${id} for update`.execute(
      tx,
    );
    const [row] = await selectVersions(tx, auth.workspaceId, nowOf(ctx.deps), sql`c.id = ${id}`, 1);
    if (!row) throw notFound('The cost settings version');
    if (row.status !== 'scheduled') {
      throw new AppError(
        'conflict',
        `This version is in force from ${row.effective_from}, so it has priced items already: it cannot be deleted. ` +
          'Add a new version from the day the prices should change instead.',
      );
    }
    await sql`delete from cost_settings where workspace_id = ${auth.workspaceId} and id = ${id}`.execute(tx);
    await audit(tx, auditContext(ctx), {
      action: 'cost_settings.deleted',
      entity: 'cost_settings',
      entityId: id,
      before: view(row),
    });
  });
}

/**
 * Service cost of the items created in the period, by bucket: each item costs
 * (recorded handling minutes, else the channel's estimate) ÷ 60 × hourly cost + the channel's cost
 * per contact, with the settings version in force on the item's local creation day; items created
 * before the first version cost 0. Values are null everywhere when no settings exist at all.
 */
export async function serviceCost(
  context: MetricRunContext,
  value: (cost: number, items: number) => number | null,
): Promise<{ series: MetricPoint[]; total: Omit<MetricPoint, 'start'> }> {
  const round = (n: number) => Math.round(n * 100) / 100;
  const configured = await sql<{ n: number }>`
    select count(*)::int as n from cost_settings where workspace_id = ${context.workspaceId}`.execute(
    context.db,
  );
  const hasSettings = (configured.rows[0]?.n ?? 0) > 0;
  // Items by local creation day and channel first (from the day rollup where it applies): the
  // prices then apply to a few rows.
  const priced = (days: RawBuilder<unknown>, db: Queryable) =>
    sql<{ start: string | null; cost: string | number | null; n: number }>`
      with v as (${costVersions(context.workspaceId)})
      , d as (${days})
      select start, coalesce(sum(cost), 0) as cost, sum(n)::int as n from (
        select to_char(date_trunc(${context.interval}, d.day), 'YYYY-MM-DD') as start, d.n,
          coalesce((d.recorded_minutes + (d.n - d.recorded) * coalesce((s.handling_minutes ->> d.channel)::numeric, 0))
            / 60.0 * s.hourly_cost + d.n * coalesce((s.per_contact ->> d.channel)::numeric, 0), 0) as cost
        from d
        left join v s on d.day >= s.f and (s.u is null or d.day < s.u)
      ) x
      group by grouping sets ((start), ())`.execute(db);
  const result =
    (await costDaysFromRollup(context, priced)) ??
    (await priced(
      sql`select (i.created_at at time zone ${context.timeZone})::date as day, i.channel, count(*) as n,
          count(i.handling_minutes) as recorded, coalesce(sum(i.handling_minutes), 0) as recorded_minutes
        from ${metricItemsTable(context)} i
        where ${inPeriod('created_at', context)}
        group by 1, 2`,
      context.db,
    ));
  const point = (cost: number, n: number) =>
    hasSettings
      ? { value: value(round(cost), n), numerator: round(cost), denominator: n }
      : { value: null, numerator: null, denominator: n };
  const rows = new Map(
    result.rows
      .filter((row) => row.start !== null)
      .map((row) => [row.start!, point(Number(row.cost), row.n)]),
  );
  const total = result.rows.find((row) => row.start === null);
  return {
    series: fillSeries(context.buckets, rows, point(0, 0)),
    total: point(Number(total?.cost ?? 0), total?.n ?? 0),
  };
}
