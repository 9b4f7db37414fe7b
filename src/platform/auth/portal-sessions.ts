import { sql } from 'kysely';
import type { Db, Queryable } from '../db/database.ts';
import { hashSecret, newSecret } from './secrets.ts';

/** The portal's own cookie: scoped to /portal, so staff routes never even receive it. */
export const portalCookie = 'rapport_portal';

/** A customer signed in to the portal. person_id stays null until they first submit something. */
export interface CustomerAuth {
  sessionId: string;
  workspaceId: string;
  email: string;
  personId: string | null;
  csrfToken: string;
}

export async function createPortalSession(
  db: Queryable,
  input: {
    workspaceId: string;
    email: string;
    personId: string | null;
    ttlDays: number;
    ip: string;
    userAgent: string | null;
  },
): Promise<{ cookieValue: string; csrfToken: string; sessionId: string; expiresAt: Date }> {
  const cookieValue = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(Date.now() + input.ttlDays * 86_400_000);
  const sessionId = hashSecret(cookieValue);
  await db
    .insertInto('portal_sessions')
    .values({
      id: sessionId,
      workspace_id: input.workspaceId,
      email: input.email,
      person_id: input.personId,
      csrf_token: csrfToken,
      expires_at: expiresAt,
      ip: input.ip,
      user_agent: input.userAgent?.slice(0, 500) ?? null,
    })
    .execute();
  return { cookieValue, csrfToken, sessionId, expiresAt };
}

export async function authenticatePortalSession(db: Db, cookieValue: string): Promise<CustomerAuth | null> {
  const row = await db
    .selectFrom('portal_sessions')
    .select(['id', 'workspace_id', 'email', 'person_id', 'csrf_token'])
    .where('id', '=', hashSecret(cookieValue))
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row) return null;
  return {
    sessionId: row.id,
    workspaceId: row.workspace_id,
    email: row.email,
    personId: row.person_id,
    csrfToken: row.csrf_token,
  };
}

export async function deletePortalSession(db: Queryable, sessionId: string): Promise<void> {
  await db.deleteFrom('portal_sessions').where('id', '=', sessionId).execute();
}
