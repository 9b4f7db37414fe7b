import { hashPassword } from '../../src/platform/auth/passwords.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import type { Role } from '../../src/shared/roles.ts';
import type { Client, TestApp } from './test-app.ts';

export const testPassword = 'correct horse battery';
let cachedHash: Promise<string> | undefined;
const passwordHash = () => {
  cachedHash ??= hashPassword(testPassword);
  return cachedHash;
};
let sequence = 0;

export async function createWorkspace(db: Db, name = 'Acme') {
  const workspace = { id: newId(), name };
  await db.insertInto('workspaces').values(workspace).execute();
  return workspace;
}

export async function createUser(
  db: Db,
  workspaceId: string,
  overrides: { role?: Role; email?: string; name?: string; status?: 'active' | 'invited' | 'disabled' } = {},
) {
  sequence += 1;
  const user = {
    id: newId(),
    workspace_id: workspaceId,
    email: overrides.email ?? `user${sequence}-${newId().slice(-6)}@example.com`,
    name: overrides.name ?? `User ${sequence}`,
    role: overrides.role ?? 'agent',
    status: overrides.status ?? 'active',
    password_hash: overrides.status === 'invited' ? null : await passwordHash(),
  };
  await db.insertInto('users').values(user).execute();
  return user;
}

export async function signIn(client: Client, email: string, password = testPassword) {
  const response = await client.post('/api/v1/auth/login', { email, password });
  if (response.status !== 200) throw new Error(`login failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A workspace with a signed-in user of the given role. */
export async function signedInUser(testApp: TestApp, role: Role = 'admin', workspaceId?: string) {
  const workspace = workspaceId ? { id: workspaceId } : await createWorkspace(testApp.database.db);
  const user = await createUser(testApp.database.db, workspace.id, { role });
  const client = testApp.client();
  await signIn(client, user.email);
  return { client, user, workspaceId: workspace.id };
}
