import { isSetupNeeded } from '../features/setup/service.ts';
import { audit, systemActor } from '../platform/audit.ts';
import { hashPassword } from '../platform/auth/passwords.ts';
import type { Db } from '../platform/db/database.ts';
import { newId } from '../platform/ids.ts';
import type { Role } from '../shared/roles.ts';
import { seedGoals } from './demo-goals.ts';
import { seedListening } from './demo-listening.ts';
import { seedPortal } from './demo-portal.ts';
import { seedRolodex } from './demo-rolodex.ts';

export const demoPassword = 'demo-password-2026';

const demoStaff: { name: string; email: string; role: Role }[] = [
  { name: 'Ada Admin', email: 'admin@demo.rapport.test', role: 'admin' },
  { name: 'Manon Manager', email: 'manager@demo.rapport.test', role: 'manager' },
  { name: 'Aziz Agent', email: 'agent@demo.rapport.test', role: 'agent' },
  { name: 'Agnes Agent', email: 'agent2@demo.rapport.test', role: 'agent' },
  { name: 'Eero Executive', email: 'exec@demo.rapport.test', role: 'executive' },
];

/** The demo workspace: the one whose admin is the demo admin. */
async function findDemoWorkspace(db: Db) {
  return db
    .selectFrom('users')
    .select('workspace_id')
    .where('email', '=', demoStaff[0]!.email)
    .executeTakeFirst();
}

async function createDemoWorkspace(db: Db) {
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
}

/**
 * Realistic demo data. On an empty database it creates the "Demo Company" workspace and its staff
 * (all with the password demoPassword), then fills its Rolodex: organizations, people,
 * interactions and relationships. Idempotent: a demo workspace that already has people is left
 * as it is, and a database with another workspace is not touched.
 */
export async function seedDemo(db: Db): Promise<string> {
  const created = await isSetupNeeded(db);
  if (created) await createDemoWorkspace(db);
  const demo = await findDemoWorkspace(db);
  if (!demo) {
    return 'The database already has a workspace; demo data is only added to an empty database.';
  }
  const workspaceId = demo.workspace_id;
  const signIn = `Sign in as ${demoStaff[0]!.email} / ${demoPassword}.`;
  const counts = await db.transaction().execute(async (tx) => {
    // Serializes two seeds running at once: the second sees the first one's people.
    await tx.selectFrom('workspaces').select('id').where('id', '=', workspaceId).forUpdate().execute();
    const existing = await tx
      .selectFrom('people')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .limit(1)
      .executeTakeFirst();
    if (existing) return null;
    const staff = await tx
      .selectFrom('users')
      .select(['id', 'role'])
      .where('workspace_id', '=', workspaceId)
      .where('status', '=', 'active')
      .orderBy('email')
      .execute();
    const owners = staff
      .filter((user) => user.role === 'agent' || user.role === 'manager')
      .map((user) => user.id);
    const context = { actor: systemActor, workspaceId, requestId: 'seed' };
    return seedRolodex(tx, context, workspaceId, owners);
  });
  const rolodex = counts
    ? `${counts.people} people, ${counts.organizations} organizations, ${counts.interactions} interactions and ${counts.relationships} relationships`
    : null;
  // The listening register on its own: a demo workspace seeded before it existed gets it too.
  const listening = await db.transaction().execute(async (tx) => {
    await tx.selectFrom('workspaces').select('id').where('id', '=', workspaceId).forUpdate().execute();
    return seedListening(tx, { actor: systemActor, workspaceId, requestId: 'seed' }, workspaceId);
  });
  const register = listening
    ? `${listening.items} listening items in ${listening.categories} categories with ${listening.problems} problems`
    : null;
  const portalSeed = await db.transaction().execute(async (tx) => {
    await tx.selectFrom('workspaces').select('id').where('id', '=', workspaceId).forUpdate().execute();
    return seedPortal(tx, { actor: systemActor, workspaceId, requestId: 'seed' }, workspaceId);
  });
  const portal = portalSeed
    ? `a portal with ${portalSeed.articles} help articles, ${portalSeed.board} suggestions on the board and ${portalSeed.intents} intentcasts`
    : null;
  const goalsSeed = await db.transaction().execute(async (tx) => {
    await tx.selectFrom('workspaces').select('id').where('id', '=', workspaceId).forUpdate().execute();
    return seedGoals(tx, { actor: systemActor, workspaceId, requestId: 'seed' }, workspaceId);
  });
  const goals = goalsSeed ? `${goalsSeed.goals} goals with service cost settings` : null;
  if (created)
    return `Created "Demo Company" with ${demoStaff.length} staff users and ${rolodex}; ${register}; ${portal}; ${goals}. ${signIn}`;
  if (rolodex || register || portal || goals)
    return `Added ${[rolodex, register, portal, goals].filter(Boolean).join('; ')} to "Demo Company". ${signIn}`;
  return `"Demo Company" already has its demo data; nothing was added. ${signIn}`;
}
