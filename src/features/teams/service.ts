import { sql } from 'kysely';
import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { ladderLevelOfRole } from '../../shared/listening.ts';
import type { LadderInput, LadderUser, Team } from '../../shared/listening-settings.ts';
import { unprocessable } from '../people/normalize.ts';

interface TeamRow {
  id: string;
  name: string;
  created_at: Date;
  member_count: number | string;
}

export const toTeam = (row: TeamRow): Team => ({
  id: row.id,
  name: row.name,
  memberCount: Number(row.member_count),
  createdAt: row.created_at.toISOString(),
});

/** Teams, oldest first (keyset on the UUIDv7 id), each with its number of members. */
export async function listTeams(
  db: Queryable,
  workspaceId: string,
  after: string | undefined,
  limit: number,
) {
  let query = db
    .selectFrom('teams')
    .select((eb) => [
      'teams.id',
      'teams.name',
      'teams.created_at',
      eb
        .selectFrom('users')
        .select(eb.fn.countAll<number>().as('count'))
        .where('users.workspace_id', '=', workspaceId)
        .whereRef('users.team_id', '=', 'teams.id')
        .as('member_count'),
    ])
    .where('teams.workspace_id', '=', workspaceId)
    .orderBy('teams.id')
    .limit(limit + 1);
  if (after) query = query.where('teams.id', '>', after);
  return (await query.execute()) as TeamRow[];
}

const duplicateName = (name: string) =>
  new AppError('conflict', `A team named "${name}" already exists; choose another name.`);

export async function createTeam(ctx: RequestContext, auth: Auth, name: string): Promise<Team> {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom('teams')
      .select('id')
      .where('workspace_id', '=', auth.workspaceId)
      .where(sql`lower(name)`, '=', name.toLowerCase())
      .executeTakeFirst();
    if (existing) throw duplicateName(name);
    const row = { id: newId(), workspace_id: auth.workspaceId, name };
    const created = await tx
      .insertInto('teams')
      .values(row)
      .returning(['id', 'name', 'created_at'])
      .executeTakeFirstOrThrow()
      .catch((error: { code?: string }) => {
        // The same name saved twice at once: the unique index refuses the second.
        throw error.code === '23505' ? duplicateName(name) : error;
      });
    await audit(tx, auditContext(ctx), {
      action: 'team.created',
      entity: 'team',
      entityId: row.id,
      after: row,
    });
    return toTeam({ ...created, member_count: 0 });
  });
}

/** Deletes a team: its members and items keep working without a team (the FKs set null). */
export async function deleteTeam(ctx: RequestContext, auth: Auth, teamId: string): Promise<void> {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const deleted = await tx
      .deleteFrom('teams')
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', teamId)
      .returning(['id', 'name'])
      .executeTakeFirst();
    if (!deleted) throw notFound('The team');
    await audit(tx, auditContext(ctx), {
      action: 'team.deleted',
      entity: 'team',
      entityId: teamId,
      before: deleted,
    });
  });
}

interface LadderRow {
  id: string;
  name: string;
  email: string;
  role: LadderUser['role'];
  ladder_level: LadderUser['ladderLevel'];
  team_id: string | null;
  team_name: string | null;
}

export const toLadderUser = (row: LadderRow): LadderUser => ({
  id: row.id,
  name: row.name,
  email: row.email,
  role: row.role,
  ladderLevel: row.ladder_level,
  effectiveLevel: row.ladder_level ?? ladderLevelOfRole[row.role as keyof typeof ladderLevelOfRole],
  teamId: row.team_id,
  teamName: row.team_name,
});

function ladderQuery(db: Queryable, workspaceId: string) {
  return db
    .selectFrom('users')
    .leftJoin('teams', 'teams.id', 'users.team_id')
    .select([
      'users.id',
      'users.name',
      'users.email',
      'users.role',
      'users.ladder_level',
      'users.team_id',
      'teams.name as team_name',
    ])
    .where('users.workspace_id', '=', workspaceId);
}

/** Active staff with their place on the ladder and their team (for assign pickers), oldest first. */
export async function listLadder(
  db: Queryable,
  workspaceId: string,
  after: string | undefined,
  limit: number,
) {
  let query = ladderQuery(db, workspaceId)
    .where('users.status', '=', 'active')
    .orderBy('users.id')
    .limit(limit + 1);
  if (after) query = query.where('users.id', '>', after);
  return (await query.execute()).map((row) => toLadderUser(row as LadderRow));
}

export async function setLadder(
  ctx: RequestContext,
  auth: Auth,
  userId: string,
  input: LadderInput,
): Promise<LadderUser> {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const before = await ladderQuery(tx, auth.workspaceId)
      .where('users.id', '=', userId)
      .forUpdate('users')
      .executeTakeFirst();
    if (!before) throw notFound('The user');
    if (input.teamId) {
      const team = await tx
        .selectFrom('teams')
        .select('id')
        .where('workspace_id', '=', auth.workspaceId)
        .where('id', '=', input.teamId)
        .executeTakeFirst();
      if (!team) throw unprocessable([{ path: 'body.teamId', message: 'is not a team of this workspace.' }]);
    }
    await tx
      .updateTable('users')
      .set({ ladder_level: input.ladderLevel, team_id: input.teamId })
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', userId)
      .execute();
    const after = await ladderQuery(tx, auth.workspaceId)
      .where('users.id', '=', userId)
      .executeTakeFirstOrThrow();
    await audit(tx, auditContext(ctx), {
      action: 'user.ladder_changed',
      entity: 'user',
      entityId: userId,
      before: { ladderLevel: before.ladder_level, teamId: before.team_id },
      after: { ladderLevel: after.ladder_level, teamId: after.team_id },
    });
    return toLadderUser(after as LadderRow);
  });
}
