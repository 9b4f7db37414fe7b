import { sql } from 'kysely';
import type { Db, Queryable } from '../db/database.ts';
import type { Auth } from '../http/context.ts';
import { clearAuthCaches, createAuthCache } from './auth-cache.ts';
import { hashSecret, newSecret } from './secrets.ts';

export const sessionCookie = 'rapport_session';
export const tokenPrefix = 'rpt_';

export async function createSession(
  db: Queryable,
  input: { userId: string; workspaceId: string; ttlHours: number; ip: string; userAgent: string | null },
): Promise<{ cookieValue: string; csrfToken: string; expiresAt: Date }> {
  const cookieValue = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(Date.now() + input.ttlHours * 3600_000);
  await db
    .insertInto('sessions')
    .values({
      id: hashSecret(cookieValue),
      workspace_id: input.workspaceId,
      user_id: input.userId,
      csrf_token: csrfToken,
      expires_at: expiresAt,
      ip: input.ip,
      user_agent: input.userAgent?.slice(0, 500) ?? null,
    })
    .execute();
  return { cookieValue, csrfToken, expiresAt };
}

export async function authenticateSession(db: Db, cookieValue: string): Promise<Auth | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'sessions.csrf_token', 'users.id as user_id', 'users.workspace_id', 'users.role'])
    .where('sessions.id', '=', hashSecret(cookieValue))
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .where('users.status', '=', 'active')
    .executeTakeFirst();
  if (!row) return null;
  return {
    userId: row.user_id,
    workspaceId: row.workspace_id,
    role: row.role,
    via: 'session',
    sessionId: row.id,
    tokenId: null,
    csrfToken: row.csrf_token,
  };
}

const tokenCache = createAuthCache<{ auth: Auth; lastUsedAt: number }>();

export async function authenticateToken(db: Db, token: string): Promise<Auth | null> {
  if (!token.startsWith(tokenPrefix)) return null;
  const tokenHash = hashSecret(token);
  const cached = tokenCache.get(tokenHash);
  if (cached) {
    if (Date.now() - cached.lastUsedAt > lastUsedEveryMs) await touchToken(db, cached.auth.tokenId!, cached);
    return cached.auth;
  }
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.last_used_at',
      'users.id as user_id',
      'users.workspace_id',
      'users.role',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.status', '=', 'active')
    .executeTakeFirst();
  if (!row) return null;
  const auth: Auth = {
    userId: row.user_id,
    workspaceId: row.workspace_id,
    role: row.role,
    via: 'token',
    sessionId: null,
    tokenId: row.id,
    csrfToken: null,
  };
  const entry = { auth, lastUsedAt: row.last_used_at?.getTime() ?? 0 };
  if (Date.now() - entry.lastUsedAt > lastUsedEveryMs) await touchToken(db, row.id, entry);
  tokenCache.set(tokenHash, entry);
  return auth;
}

// The last-used time is telemetry, not a business write: at most one update a minute, not audited.
const lastUsedEveryMs = 60_000;
async function touchToken(db: Db, tokenId: string, entry: { lastUsedAt: number }) {
  entry.lastUsedAt = Date.now();
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: new Date(entry.lastUsedAt) })
    .where('id', '=', tokenId)
    .execute();
}

export async function deleteSession(db: Queryable, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
  clearAuthCaches();
}

/** Ends every session of a user, optionally keeping one (the one changing the password). */
export async function deleteUserSessions(
  db: Queryable,
  userId: string,
  keepSessionId?: string,
): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepSessionId) query = query.where('id', '!=', keepSessionId);
  await query.execute();
  clearAuthCaches();
}
