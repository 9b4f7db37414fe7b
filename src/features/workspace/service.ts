import { sql } from 'kysely';
import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import type { UpdateWorkspaceInput, WorkspaceSettings } from '../../shared/workspace.ts';

async function readWorkspace(db: Queryable, workspaceId: string, lock = false): Promise<WorkspaceSettings> {
  const result = await sql<WorkspaceSettings>`
    select id, name, default_region as "defaultRegion" from workspaces where id = ${workspaceId}
    ${lock ? sql`for update` : sql``}`.execute(db);
  const row = result.rows[0];
  if (!row) throw notFound('The workspace');
  return row;
}

export function getWorkspace(ctx: RequestContext, auth: Auth) {
  return readWorkspace(ctx.deps.db, auth.workspaceId);
}

/** Name and default phone region; the region applies to numbers saved from now on. */
export async function updateWorkspace(ctx: RequestContext, auth: Auth, input: UpdateWorkspaceInput) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const before = await readWorkspace(tx, auth.workspaceId, true);
    const name = input.name ?? before.name;
    const region = input.defaultRegion ?? before.defaultRegion;
    await sql`update workspaces set name = ${name}, default_region = ${region}
      where id = ${auth.workspaceId}`.execute(tx);
    const after = await readWorkspace(tx, auth.workspaceId);
    await audit(tx, auditContext(ctx), {
      action: 'workspace.updated',
      entity: 'workspace',
      entityId: auth.workspaceId,
      before,
      after,
    });
    return after;
  });
}
