import type { Selectable } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { UsersTable } from '../../platform/db/tables.ts';
import type { User } from '../../shared/accounts.ts';

export const userColumns = ['id', 'email', 'name', 'role', 'status', 'created_at', 'last_login_at'] as const;
type UserColumns = Pick<Selectable<UsersTable>, (typeof userColumns)[number]>;

export function toUser(row: UserColumns): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
  };
}

export function findUserByEmail(db: Queryable, email: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export function findUserInWorkspace(db: Queryable, workspaceId: string, userId: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .executeTakeFirst();
}

export function listUsers(db: Queryable, workspaceId: string, after: string | undefined, limit: number) {
  let query = db
    .selectFrom('users')
    .select(userColumns)
    .where('workspace_id', '=', workspaceId)
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (after) query = query.where('id', '<', after);
  return query.execute();
}

export async function countActiveAdmins(db: Queryable, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
