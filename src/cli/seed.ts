import { isSetupNeeded } from '../features/setup/service.ts';
import { audit, systemActor } from '../platform/audit.ts';
import { hashPassword } from '../platform/auth/passwords.ts';
import type { Db } from '../platform/db/database.ts';
import { newId } from '../platform/ids.ts';
import type { Role } from '../shared/roles.ts';

export const demoPassword = 'demo-password-2026';

const demoStaff: { name: string; email: string; role: Role }[] = [
  { name: 'Ada Admin', email: 'admin@demo.rapport.test', role: 'admin' },
  { name: 'Manon Manager', email: 'manager@demo.rapport.test', role: 'manager' },
  { name: 'Aziz Agent', email: 'agent@demo.rapport.test', role: 'agent' },
  { name: 'Agnes Agent', email: 'agent2@demo.rapport.test', role: 'agent' },
  { name: 'Eero Executive', email: 'exec@demo.rapport.test', role: 'executive' },
];

/**
 * Realistic demo data. On an empty database it creates the "Demo Company" workspace and its staff
 * (all with the password demoPassword). Features extend this as they land.
 */
export async function seedDemo(db: Db): Promise<string> {
  if (!(await isSetupNeeded(db))) {
    return 'The database already has a workspace; demo data is only added to an empty database.';
  }
  const passwordHash = await hashPassword(demoPassword);
  await db.transaction().execute(async (tx) => {
    const workspace = { id: newId(), name: 'Demo Company' };
    await tx.insertInto('workspaces').values(workspace).execute();
    const context = { actor: systemActor, workspaceId: workspace.id, requestId: 'seed' };
    await audit(tx, context, {
      action: 'workspace.created',
      entity: 'workspace',
      entityId: workspace.id,
      after: workspace,
    });
    for (const staff of demoStaff) {
      const user = {
        id: newId(),
        workspace_id: workspace.id,
        ...staff,
        status: 'active' as const,
        password_hash: passwordHash,
      };
      await tx.insertInto('users').values(user).execute();
      await audit(tx, context, { action: 'user.created', entity: 'user', entityId: user.id, after: user });
    }
  });
  return `Created "Demo Company" with ${demoStaff.length} staff users. Sign in as ${demoStaff[0]!.email} / ${demoPassword}.`;
}
