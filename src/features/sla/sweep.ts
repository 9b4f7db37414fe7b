import { type SqlBool, sql } from 'kysely';
import { type AuditContext, systemActor } from '../../platform/audit.ts';
import { type Config, publicUrl } from '../../platform/config.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { type AppDeps, nowOf } from '../../platform/http/context.ts';
import { type LadderLevel, ladderLevelLabels, ladderRank } from '../../shared/listening.ts';
import { usersAtLevel } from '../notifications/notify.ts';
import { needsWarning, nextCheckAt, planSla, type TargetPlan } from './plan.ts';
import { type SlaItemRow, slaStateColumns } from './refresh.ts';
import { type EscalationTrigger, loadSlaSettings, type SlaSettings } from './settings.ts';
import { SweepEffects } from './sweep-effects.ts';

export interface SweepCounts {
  /** Items whose check was due and that this sweep looked at. */
  checked: number;
  warnings: number;
  breaches: number;
  escalations: number;
  batches: number;
  ms: number;
}

type SweepRow = SlaItemRow & {
  workspace_id: string;
  ref: string;
  subject: string;
  owner_id: string | null;
  /** The owner can still be reached (an active user); else the leads hear of it. */
  owner_active: SqlBool;
};

const targetNames = { first_response: 'first response', resolution: 'resolution' } as const;
type TargetName = keyof typeof targetNames;
const breachTriggers: Record<TargetName, EscalationTrigger> = {
  first_response: 'first_response_breach',
  resolution: 'resolution_breach',
};

/**
 * Looks at every item whose sla_next_check_at has come (the partial index items_sla_check_idx
 * makes this proportional to the due items, never a scan of all items): warns before a breach,
 * records each breach once, applies the escalation rules, and plans the item's next check.
 * Batches run in their own transactions and lock their rows with SKIP LOCKED, so concurrent
 * sweeps share the work and no item is handled twice; every effect is also guarded by the
 * item's columns (breach stamps, sla_warned_at, the escalation level that only goes up).
 * Each batch is planned in memory and written set-based: one UPDATE of the items and a few
 * multi-row INSERTs for the events, audit entries, notifications and emails (sweep-effects.ts).
 */
export async function sweepSla(
  deps: AppDeps,
  options: { batchSize?: number; now?: Date; concurrency?: number } = {},
): Promise<SweepCounts> {
  const started = performance.now();
  const now = options.now ?? nowOf(deps);
  const batchSize = options.batchSize ?? 2_000;
  // Batches at once (each on its own connection, SKIP LOCKED gives each its own rows). One by
  // default: on a 2-core machine shared with the database, two measured no faster (docs/listening.md).
  const asked = options.concurrency ?? 1;
  if (!Number.isInteger(asked) || asked < 1)
    throw new RangeError(`concurrency must be a whole number ≥ 1, not ${asked}`);
  const concurrency = deps.database.kind === 'postgres' ? asked : 1;
  const counts: SweepCounts = { checked: 0, warnings: 0, breaches: 0, escalations: 0, batches: 0, ms: 0 };
  const worker = async () => {
    for (;;) {
      const checked = await deps.db
        .transaction()
        .execute((tx) => sweepBatch(tx, deps.config, now, batchSize, counts));
      if (checked === 0) break;
      counts.batches += 1;
      counts.checked += checked;
      if (checked < batchSize) break;
    }
  };
  // Every batch ends (commits or rolls back) before the first error is thrown.
  const results = await Promise.allSettled(Array.from({ length: concurrency }, worker));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  counts.ms = Math.round(performance.now() - started);
  return counts;
}

async function sweepBatch(
  tx: Queryable,
  config: Config,
  now: Date,
  batchSize: number,
  counts: SweepCounts,
): Promise<number> {
  const rows: SweepRow[] = await tx
    .selectFrom('items')
    .select((eb) => [
      ...slaStateColumns,
      'workspace_id',
      'ref',
      'subject',
      'owner_id',
      eb
        .exists(
          eb
            .selectFrom('users')
            .select('users.id')
            .whereRef('users.id', '=', 'items.owner_id')
            .where('users.status', '=', 'active'),
        )
        .as('owner_active'),
    ])
    .where('sla_next_check_at', '<=', now)
    .orderBy('sla_next_check_at')
    .limit(batchSize)
    .forUpdate()
    .skipLocked()
    .execute();
  if (rows.length === 0) return 0;
  const settings = await loadSlaSettings(
    tx,
    rows.map((row) => row.workspace_id),
  );
  const context: SweepContext = {
    config,
    now,
    recipients: new RecipientCache(tx),
    effects: new SweepEffects(),
    counts,
  };
  const updates: ItemUpdate[] = [];
  for (const row of rows) {
    updates.push(await sweepItem(context, settings.get(row.workspace_id)!, row));
  }
  await writeItemUpdates(tx, updates, now);
  await context.effects.write(tx);
  return rows.length;
}

/**
 * One UPDATE for the batch, its values as one array per column (a handful of parameters instead
 * of eight per item: binding and parsing 16,000 parameters cost more than the planning).
 * The arrays are joined by primary key (the planner's estimate for a parameter array is small,
 * so a nested loop over items_pkey).
 */
async function writeItemUpdates(tx: Queryable, updates: ItemUpdate[], now: Date): Promise<void> {
  const time = (date: Date | null) => (date ? date.toISOString() : null);
  await sql`
    update items set first_response_breached_at = v.fr, resolution_breached_at = v.res, sla_warned_at = v.warned,
      sla_next_check_at = v.next,
      escalation_level = v.level,
      escalated_at = case when v.escalated then ${now}::timestamptz else items.escalated_at end,
      version = items.version + case when v.changed then 1 else 0 end,
      updated_at = case when v.changed then ${now}::timestamptz else items.updated_at end
    from unnest(
      ${updates.map((u) => u.id)}::uuid[],
      ${updates.map((u) => time(u.firstResponseBreachedAt))}::timestamptz[],
      ${updates.map((u) => time(u.resolutionBreachedAt))}::timestamptz[],
      ${updates.map((u) => time(u.warnedAt))}::timestamptz[],
      ${updates.map((u) => time(u.nextCheckAt))}::timestamptz[],
      ${updates.map((u) => u.changed)}::boolean[],
      ${updates.map((u) => u.escalationLevel)}::text[],
      ${updates.map((u) => u.escalated)}::boolean[]
    ) as v(id, fr, res, warned, next, changed, level, escalated)
    where items.id = v.id`.execute(tx);
}

interface ItemUpdate {
  id: string;
  firstResponseBreachedAt: Date | null;
  resolutionBreachedAt: Date | null;
  warnedAt: Date | null;
  nextCheckAt: Date | null;
  escalationLevel: LadderLevel;
  /** Raised by this sweep: escalated_at is stamped. */
  escalated: boolean;
  /** Breached or escalated: the item's version moves so that stale edits get a 409. */
  changed: boolean;
}

interface SweepContext {
  config: Config;
  now: Date;
  recipients: RecipientCache;
  effects: SweepEffects;
  counts: SweepCounts;
}

/** Plans one locked item: its breaches, warning and escalations go to the batch's effects. */
async function sweepItem(context: SweepContext, settings: SlaSettings, row: SweepRow): Promise<ItemUpdate> {
  const { now, counts, effects } = context;
  const state = { ...row };
  let stateMoved = false;
  const auditContext: AuditContext = { actor: systemActor, workspaceId: row.workspace_id, requestId: null };
  const link = `${publicUrl(context.config)}/items/${row.id}`;
  let changed = false;
  let escalated = false;
  const plan = planSla(settings, state);
  const targets: [TargetName, TargetPlan][] = [
    ['first_response', plan.firstResponse],
    ['resolution', plan.resolution],
  ];
  const raiseTo: { level: Exclude<LadderLevel, 'agent'>; cause: EscalationTrigger; reason: string }[] = [];

  for (const [name, target] of targets) {
    if (target.breached || !target.dueAt || target.dueAt.getTime() > now.getTime()) continue;
    if (target.state !== 'running' && target.state !== 'late') continue;
    const late = target.state === 'late';
    if (name === 'first_response') state.first_response_breached_at = target.dueAt;
    else state.resolution_breached_at = target.dueAt;
    changed = true;
    stateMoved = true;
    counts.breaches += 1;
    const data = { target: name, dueAt: target.dueAt.toISOString(), ...(late ? { metLate: true } : {}) };
    effects.event({
      workspaceId: row.workspace_id,
      itemId: row.id,
      type: 'sla_breached',
      actor: systemActor,
      data,
      at: now,
    });
    effects.audit(auditContext, {
      action: 'item.sla_breached',
      entity: 'item',
      entityId: row.id,
      after: data,
    });
    // A target met late is recorded for the reports; nobody needs to act on it any more.
    if (late) continue;
    effects.notify({
      workspaceId: row.workspace_id,
      userIds: await context.recipients.responsibleFor(row),
      type: 'sla_breach',
      title: `#${row.ref} breached its ${targetNames[name]} target: ${row.subject}`,
      body: `The ${targetNames[name]} was due ${target.dueAt.toISOString()}.`,
      itemId: row.id,
      link,
    });
    for (const rule of settings.rules) {
      if (rule.trigger === breachTriggers[name]) {
        raiseTo.push({
          level: rule.level,
          cause: rule.trigger,
          reason: `The ${targetNames[name]} target was breached.`,
        });
      }
    }
  }

  const warnable = targets.filter(
    ([, target]) =>
      !target.breached &&
      needsWarning(target, state) &&
      target.warnAt!.getTime() <= now.getTime() &&
      target.dueAt!.getTime() > now.getTime(),
  );
  if (warnable.length > 0) {
    const [name, target] = warnable[0]!;
    state.sla_warned_at = now;
    stateMoved = true;
    counts.warnings += 1;
    const minutes = Math.max(1, Math.round((target.dueAt!.getTime() - now.getTime()) / 60_000));
    effects.notify({
      workspaceId: row.workspace_id,
      userIds: await context.recipients.responsibleFor(row),
      type: 'sla_warning',
      title: `#${row.ref} ${targetNames[name]} due in ${minutes} min: ${row.subject}`,
      body: `The ${targetNames[name]} is due ${target.dueAt!.toISOString()}.`,
      itemId: row.id,
      link,
    });
    effects.audit(auditContext, {
      action: 'item.sla_warned',
      entity: 'item',
      entityId: row.id,
      after: { target: name, dueAt: target.dueAt!.toISOString() },
    });
  }

  for (const overdue of plan.overdue) {
    if (overdue.at.getTime() > now.getTime()) continue;
    raiseTo.push({
      level: overdue.rule.level,
      cause: 'resolution_overdue',
      reason: `Still open after ${overdue.rule.factor}× the resolution target.`,
    });
  }
  raiseTo.sort((a, b) => ladderRank(a.level) - ladderRank(b.level));
  for (const step of raiseTo) {
    // The ladder only goes up (the row is locked, so state.escalation_level is current).
    if (ladderRank(step.level) <= ladderRank(state.escalation_level)) continue;
    // What escalateItem does, collected: the event, and everyone at the level plus the owner hears.
    effects.event({
      workspaceId: row.workspace_id,
      itemId: row.id,
      type: 'escalated',
      actor: systemActor,
      data: { from: state.escalation_level, to: step.level, reason: step.reason, cause: step.cause },
      at: now,
    });
    const atLevel = await context.recipients.atLevel(row.workspace_id, step.level);
    effects.notify({
      workspaceId: row.workspace_id,
      userIds: row.owner_id ? [...atLevel, row.owner_id] : atLevel,
      type: 'escalation',
      title: `#${row.ref} escalated to ${ladderLevelLabels[step.level]}: ${row.subject}`,
      body: step.reason,
      itemId: row.id,
      link,
      exceptUserId: null,
    });
    effects.audit(auditContext, {
      action: 'item.escalated',
      entity: 'item',
      entityId: row.id,
      before: { escalationLevel: state.escalation_level },
      after: { escalationLevel: step.level, cause: step.cause },
    });
    state.escalation_level = step.level;
    stateMoved = true;
    changed = true;
    escalated = true;
    counts.escalations += 1;
  }

  return {
    id: row.id,
    firstResponseBreachedAt: state.first_response_breached_at,
    resolutionBreachedAt: state.resolution_breached_at,
    warnedAt: state.sla_warned_at,
    // The plan depends on the state only: planned again (business-hours arithmetic) only if it moved.
    nextCheckAt: nextCheckAt(stateMoved ? planSla(settings, state) : plan, state, now),
    escalationLevel: state.escalation_level,
    escalated,
    changed,
  };
}

/**
 * Who hears about an item's SLA: its active owner, else the leads (else the managers) of the
 * workspace; and who stands at each level of the ladder. Looked up once per batch.
 */
class RecipientCache {
  private readonly fallback = new Map<string, string[]>();
  private readonly levels = new Map<string, string[]>();
  constructor(private readonly tx: Queryable) {}

  async responsibleFor(row: Pick<SweepRow, 'workspace_id' | 'owner_id' | 'owner_active'>): Promise<string[]> {
    if (row.owner_id && row.owner_active) return [row.owner_id];
    let users = this.fallback.get(row.workspace_id);
    if (!users) {
      users = await this.atLevel(row.workspace_id, 'lead');
      if (users.length === 0) users = await this.atLevel(row.workspace_id, 'manager');
      this.fallback.set(row.workspace_id, users);
    }
    return users;
  }

  async atLevel(workspaceId: string, level: LadderLevel): Promise<string[]> {
    const key = `${workspaceId}:${level}`;
    let users = this.levels.get(key);
    if (!users) {
      users = await usersAtLevel(this.tx, workspaceId, level);
      this.levels.set(key, users);
    }
    return users;
  }
}
