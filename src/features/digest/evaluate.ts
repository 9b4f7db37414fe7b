import { sql } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { Goal, GoalStatus } from '../../shared/goals.ts';
import { addDays } from '../goals/dates.ts';
import { evaluateGoal } from '../goals/progress.ts';
import { goalColumns, toGoal } from '../goals/queries.ts';

/** A target's value at one evaluation (stored in goals.last_values). */
export interface TargetValue {
  metric: string;
  label: string;
  unit: string;
  value: number | null;
  progress: number | null;
  targetValue: number | null;
}

export interface GoalDigestEntry {
  goal: Goal;
  previousStatus: GoalStatus | null;
  /** The previous status when the goal could not be evaluated. */
  status: GoalStatus | null;
  changed: boolean;
  /** Why the goal could not be evaluated (e.g. its metric left the catalogue); it keeps its stored status. */
  error: string | null;
  targets: { now: TargetValue; before: TargetValue | null }[];
}

/** Goals still worth reporting: those whose deadline is at most 30 days past. */
async function digestGoals(db: Queryable, workspaceId: string, today: string) {
  const rows = await goalColumns(db)
    .select(sql<unknown>`g.last_values`.as('last_values'))
    .where('g.workspace_id', '=', workspaceId)
    .where(sql<boolean>`g.deadline >= ${addDays(today, -30)}::date`)
    .orderBy('g.deadline')
    .orderBy('g.id')
    .execute();
  return rows.map((row) => ({
    goal: toGoal(row),
    lastValues: (row.last_values ?? null) as TargetValue[] | null,
  }));
}

/**
 * Evaluates every goal of the digest as of `today` (a local date). With `store`, saves the
 * status, evaluated_at, status_changed_at (when it changed) and the targets' values, audited
 * as the given actor; without it (the preview) nothing is written.
 */
export async function evaluateDigestGoals(
  db: Queryable,
  workspaceId: string,
  today: string,
  now: Date,
  store: AuditContext | null,
): Promise<GoalDigestEntry[]> {
  const entries: GoalDigestEntry[] = [];
  for (const { goal, lastValues } of await digestGoals(db, workspaceId, today)) {
    let progress: Awaited<ReturnType<typeof evaluateGoal>>;
    // In the job's transaction, a savepoint keeps a failed evaluation from aborting the rest.
    if (store) await sql`savepoint digest_goal`.execute(db);
    try {
      progress = await evaluateGoal(db, workspaceId, goal, today);
      if (store) await sql`release savepoint digest_goal`.execute(db);
    } catch (error) {
      if (store) await sql`rollback to savepoint digest_goal`.execute(db);
      // One broken goal must not stop the workspace's digest.
      const message = (error as Error).message;
      entries.push({
        goal,
        previousStatus: goal.status,
        status: goal.status,
        changed: false,
        error: message,
        targets: [],
      });
      continue;
    }
    const targets = progress.targets.map((target, index) => {
      const now: TargetValue = {
        metric: target.metric.name,
        label: target.metric.label,
        unit: target.metric.unit,
        value: target.current.value,
        progress: target.progress,
        targetValue: target.targetValue,
      };
      const before = lastValues?.[index];
      return { now, before: before && before.metric === now.metric ? before : null };
    });
    const changed = goal.status !== progress.status;
    entries.push({
      goal,
      previousStatus: goal.status,
      status: progress.status,
      changed,
      error: null,
      targets,
    });
    if (!store) continue;
    await db
      .updateTable('goals')
      .set({
        status: progress.status,
        evaluated_at: now,
        ...(changed ? { status_changed_at: now } : {}),
      })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', goal.id)
      .execute();
    await sql`update goals set last_values = ${JSON.stringify(targets.map((target) => target.now))}::jsonb
      where workspace_id = ${workspaceId} and id = ${goal.id}`.execute(db);
    if (changed) {
      await audit(db, store, {
        action: 'goal.status_changed',
        entity: 'goal',
        entityId: goal.id,
        before: { status: goal.status },
        after: { status: progress.status, evaluatedOn: today },
      });
    }
  }
  return entries;
}

export interface Mover {
  goal: Goal;
  target: TargetValue;
  before: TargetValue;
  /** Change in progress (1 = the whole way from baseline to target); positive = towards the target. */
  delta: number;
}

/** Targets whose progress moved most since the previous evaluation, biggest first. */
export function biggestMovers(entries: GoalDigestEntry[], limit = 5): Mover[] {
  const movers: Mover[] = [];
  for (const entry of entries) {
    for (const { now, before } of entry.targets) {
      if (!before || now.progress === null || before.progress === null) continue;
      const delta = Math.round((now.progress - before.progress) * 100) / 100;
      if (delta !== 0) movers.push({ goal: entry.goal, target: now, before, delta });
    }
  }
  return movers.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta)).slice(0, limit);
}
