import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { Goal, GoalStatus, GoalTarget } from '../../shared/goals.ts';

/** Goal columns with dates as text (a `date` must not pass through a time zone). */
export function goalColumns(db: Queryable) {
  return db
    .selectFrom('goals as g')
    .leftJoin('users as u', 'u.id', 'g.owner_id')
    .select([
      'g.id',
      'g.workspace_id',
      'g.title',
      'g.description',
      'g.owner_id',
      'u.name as owner_name',
      'g.targets',
      sql<string>`to_char(g.start_date, 'YYYY-MM-DD')`.as('start_date'),
      sql<string>`to_char(g.deadline, 'YYYY-MM-DD')`.as('deadline'),
      'g.milestones',
      'g.template',
      'g.status',
      'g.status_changed_at',
      'g.version',
      'g.created_at',
      'g.updated_at',
    ]);
}

export type GoalRow = Awaited<ReturnType<ReturnType<typeof goalColumns>['executeTakeFirstOrThrow']>>;

export function toGoal(row: GoalRow): Goal {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    targets: row.targets as GoalTarget[],
    startDate: row.start_date,
    deadline: row.deadline,
    milestones: row.milestones as Goal['milestones'],
    template: row.template,
    status: row.status as GoalStatus | null,
    statusChangedAt: row.status_changed_at?.toISOString() ?? null,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function findGoal(db: Queryable, workspaceId: string, id: string) {
  return goalColumns(db).where('g.workspace_id', '=', workspaceId).where('g.id', '=', id).executeTakeFirst();
}

export function listGoals(
  db: Queryable,
  workspaceId: string,
  filter: { status?: GoalStatus; ownerId?: string; after?: string; limit: number },
) {
  let query = goalColumns(db)
    .where('g.workspace_id', '=', workspaceId)
    .orderBy('g.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.status) query = query.where('g.status', '=', filter.status);
  if (filter.ownerId) query = query.where('g.owner_id', '=', filter.ownerId);
  if (filter.after) query = query.where('g.id', '<', filter.after);
  return query.execute();
}
