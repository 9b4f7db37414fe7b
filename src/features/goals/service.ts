import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import type { CreateGoalInput, Goal, GoalProgress, GoalTarget, UpdateGoalInput } from '../../shared/goals.ts';
import { workspaceTimeZone } from '../metrics/run.ts';
import { staleVersion } from '../people/precondition.ts';
import { localToday } from './dates.ts';
import { evaluateGoal, metricOf } from './progress.ts';
import { findGoal, toGoal } from './queries.ts';

const invalid = (path: string, message: string) =>
  new AppError('validation_failed', `${path}: ${message}`, { errors: [{ path, message }] });

async function checkGoal(
  tx: Queryable,
  workspaceId: string,
  goal: { targets?: GoalTarget[]; ownerId?: string | null; startDate?: string; deadline?: string },
) {
  for (const [index, target] of (goal.targets ?? []).entries()) {
    try {
      metricOf(target.metric);
    } catch {
      throw invalid(
        `body.targets.${index}.metric`,
        `"${target.metric}" is not a metric (see GET /api/v1/metrics).`,
      );
    }
  }
  if (goal.ownerId) {
    const owner = await tx
      .selectFrom('users')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', goal.ownerId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!owner) throw invalid('body.ownerId', 'is not an active user of this workspace.');
  }
  if (goal.startDate && goal.deadline && goal.startDate >= goal.deadline) {
    throw invalid('body.deadline', 'must be after startDate.');
  }
}

export async function createGoal(ctx: RequestContext, auth: Auth, input: CreateGoalInput): Promise<Goal> {
  return ctx.deps.db.transaction().execute(async (tx) => {
    await checkGoal(tx, auth.workspaceId, input);
    const id = newId();
    const now = nowOf(ctx.deps);
    await tx
      .insertInto('goals')
      .values({
        id,
        workspace_id: auth.workspaceId,
        title: input.title,
        description: input.description ?? null,
        owner_id: input.ownerId === undefined ? auth.userId : input.ownerId,
        targets: JSON.stringify(input.targets),
        start_date: input.startDate,
        deadline: input.deadline,
        milestones: JSON.stringify(input.milestones),
        template: input.template ?? null,
        created_by: auth.userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const goal = toGoal((await findGoal(tx, auth.workspaceId, id))!);
    await audit(tx, auditContext(ctx), { action: 'goal.created', entity: 'goal', entityId: id, after: goal });
    return goal;
  });
}

export async function updateGoal(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  input: Omit<UpdateGoalInput, 'version'>,
  version: number,
): Promise<Goal> {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const locked = await tx
      .selectFrom('goals')
      .select('version')
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) throw notFound('The goal');
    if (locked.version !== version) throw staleVersion('the goal', version, locked.version);
    const before = toGoal((await findGoal(tx, auth.workspaceId, id))!);
    await checkGoal(tx, auth.workspaceId, {
      ...input,
      startDate: input.startDate ?? before.startDate,
      deadline: input.deadline ?? before.deadline,
    });
    await tx
      .updateTable('goals')
      .set({
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.ownerId !== undefined ? { owner_id: input.ownerId } : {}),
        ...(input.targets !== undefined ? { targets: JSON.stringify(input.targets) } : {}),
        ...(input.startDate !== undefined ? { start_date: input.startDate } : {}),
        ...(input.deadline !== undefined ? { deadline: input.deadline } : {}),
        ...(input.milestones !== undefined ? { milestones: JSON.stringify(input.milestones) } : {}),
        version: version + 1,
        updated_at: nowOf(ctx.deps),
      })
      .where('id', '=', id)
      .execute();
    const after = toGoal((await findGoal(tx, auth.workspaceId, id))!);
    await audit(tx, auditContext(ctx), {
      action: 'goal.updated',
      entity: 'goal',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

export async function deleteGoal(ctx: RequestContext, auth: Auth, id: string): Promise<void> {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findGoal(tx, auth.workspaceId, id);
    if (!row) throw notFound('The goal');
    await tx.deleteFrom('goals').where('id', '=', id).execute();
    await audit(tx, auditContext(ctx), {
      action: 'goal.deleted',
      entity: 'goal',
      entityId: id,
      before: toGoal(row),
    });
  });
}

export async function getGoal(ctx: RequestContext, auth: Auth, id: string): Promise<Goal> {
  const row = await findGoal(ctx.deps.db, auth.workspaceId, id);
  if (!row) throw notFound('The goal');
  return toGoal(row);
}

/** Progress as of today in the workspace's time zone (read-only: the digest job stores statuses). */
export async function goalProgressOf(ctx: RequestContext, auth: Auth, id: string): Promise<GoalProgress> {
  const db = ctx.deps.db;
  const row = await findGoal(db, auth.workspaceId, id);
  if (!row) throw notFound('The goal');
  const today = localToday(nowOf(ctx.deps), await workspaceTimeZone(db, auth.workspaceId));
  return evaluateGoal(db, auth.workspaceId, toGoal(row), today);
}
