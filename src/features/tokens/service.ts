import type { Selectable } from 'kysely';
import { audit } from '../../platform/audit.ts';
import { clearAuthCaches } from '../../platform/auth/auth-cache.ts';
import { hashSecret, newSecret } from '../../platform/auth/secrets.ts';
import { tokenPrefix } from '../../platform/auth/sessions.ts';
import type { ApiTokensTable } from '../../platform/db/tables.ts';
import { notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import type { ApiToken } from '../../shared/accounts.ts';

function toApiToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}

export async function listTokens(ctx: RequestContext, auth: Auth): Promise<ApiToken[]> {
  const rows = await ctx.deps.db
    .selectFrom('api_tokens')
    .selectAll()
    .where('workspace_id', '=', auth.workspaceId)
    .where('user_id', '=', auth.userId)
    .where('revoked_at', 'is', null)
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toApiToken);
}

export async function createToken(ctx: RequestContext, auth: Auth, name: string) {
  const token = `${tokenPrefix}${newSecret()}`;
  return ctx.deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('api_tokens')
      .values({
        id: newId(),
        workspace_id: auth.workspaceId,
        user_id: auth.userId,
        name,
        token_hash: hashSecret(token),
        prefix: token.slice(0, 10),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const created = toApiToken(row);
    await audit(tx, auditContext(ctx), {
      action: 'token.created',
      entity: 'api_token',
      entityId: row.id,
      after: created,
    });
    return { ...created, token };
  });
}

export async function revokeToken(ctx: RequestContext, auth: Auth, id: string): Promise<void> {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('workspace_id', '=', auth.workspaceId)
      .where('user_id', '=', auth.userId)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('The token');
    await audit(tx, auditContext(ctx), {
      action: 'token.revoked',
      entity: 'api_token',
      entityId: id,
      before: toApiToken(row),
    });
  });
  clearAuthCaches();
}
