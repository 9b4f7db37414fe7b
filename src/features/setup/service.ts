import { sql } from 'kysely';
import { audit } from '../../platform/audit.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { SetupInput } from '../../shared/accounts.ts';

const setupLockId = 727_002;

export async function isSetupNeeded(db: Db): Promise<boolean> {
  return !(await db.selectFrom('workspaces').select('id').limit(1).executeTakeFirst());
}

/**
 * Creates the first workspace and its admin. Only once: a lock makes two simultaneous setups
 * create one workspace, and the second gets 409.
 */
export async function createFirstWorkspace(
  db: Db,
  input: SetupInput,
  requestId: string | null,
): Promise<{ id: string; workspace_id: string }> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${setupLockId})`.execute(tx);
    if (await tx.selectFrom('workspaces').select('id').limit(1).executeTakeFirst()) {
      throw new AppError('conflict', 'Rapport is already set up. Sign in instead.');
    }
    const workspace = { id: newId(), name: input.workspaceName };
    const user = {
      id: newId(),
      workspace_id: workspace.id,
      email: input.email,
      name: input.name,
      role: 'admin' as const,
      status: 'active' as const,
      password_hash: passwordHash,
    };
    await tx.insertInto('workspaces').values(workspace).execute();
    await tx.insertInto('users').values(user).execute();
    const context = {
      actor: { type: 'user' as const, id: user.id, userId: user.id },
      workspaceId: workspace.id,
      requestId,
    };
    await audit(tx, context, {
      action: 'workspace.created',
      entity: 'workspace',
      entityId: workspace.id,
      after: workspace,
    });
    await audit(tx, context, { action: 'user.created', entity: 'user', entityId: user.id, after: user });
    return user;
  });
}
