import { audit } from '../../platform/audit.ts';
import { clearAuthCaches, createAuthCache } from '../../platform/auth/auth-cache.ts';
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.ts';
import { assertUnderLimits, type Limit, recordHit } from '../../platform/auth/rate-limit.ts';
import { createSession, deleteSession, deleteUserSessions } from '../../platform/auth/sessions.ts';
import type { Db, Queryable } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import type { LoginInput, Me } from '../../shared/accounts.ts';
import { findUserByEmail, toUser } from '../users/queries.ts';

const fifteenMinutes = 15 * 60;
export const loginLimits = { perAccount: 10, perIp: 50 };
export const passwordChangeLimit = 10;

function loginLimitsFor(email: string, ip: string): Limit[] {
  return [
    { key: `login:email:${email}`, max: loginLimits.perAccount, windowSeconds: fifteenMinutes },
    { key: `login:ip:${ip}`, max: loginLimits.perIp, windowSeconds: fifteenMinutes },
  ];
}

const meCache = createAuthCache<Omit<Me, 'csrfToken' | 'via'>>();

export async function loadMe(
  db: Db,
  auth: Pick<Auth, 'userId' | 'workspaceId' | 'csrfToken' | 'via'>,
): Promise<Me> {
  const cached = meCache.get(auth.userId);
  if (cached) return { ...cached, csrfToken: auth.csrfToken, via: auth.via };
  const row = await db
    .selectFrom('users')
    .innerJoin('workspaces', 'workspaces.id', 'users.workspace_id')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'users.role',
      'users.status',
      'users.created_at',
      'users.last_login_at',
      'workspaces.name as workspace_name',
    ])
    .where('users.id', '=', auth.userId)
    .executeTakeFirstOrThrow();
  const me = { user: toUser(row), workspace: { id: auth.workspaceId, name: row.workspace_name } };
  meCache.set(auth.userId, me);
  return { ...me, csrfToken: auth.csrfToken, via: auth.via };
}

/** Opens a session for a user who has just proven who they are (login, setup, invite). */
export async function startSession(
  ctx: RequestContext,
  user: { id: string; workspace_id: string },
  tx?: Queryable,
) {
  const { db, config } = ctx.deps;
  const session = await createSession(tx ?? db, {
    userId: user.id,
    workspaceId: user.workspace_id,
    ttlHours: config.SESSION_TTL_HOURS,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  });
  await (tx ?? db)
    .updateTable('users')
    .set({ last_login_at: new Date() })
    .where('id', '=', user.id)
    .execute();
  return session;
}

/** The /me payload of a session that was just opened. */
export function meOfSession(
  ctx: RequestContext,
  user: { id: string; workspace_id: string },
  csrfToken: string,
) {
  return loadMe(ctx.deps.db, { userId: user.id, workspaceId: user.workspace_id, via: 'session', csrfToken });
}

export async function login(ctx: RequestContext, input: LoginInput) {
  const { db } = ctx.deps;
  const limits = loginLimitsFor(input.email, ctx.ip);
  await assertUnderLimits(db, limits, 'Too many failed sign-in attempts. Wait a few minutes and try again.');
  const user = await findUserByEmail(db, input.email);
  const valid = await verifyPassword(input.password, user?.status === 'active' ? user.password_hash : null);
  if (!user || !valid) {
    for (const limit of limits) await recordHit(db, limit);
    throw new AppError('unauthenticated', 'The email or password is wrong.');
  }
  const session = await db.transaction().execute(async (tx) => {
    const opened = await startSession(ctx, user, tx);
    await audit(
      tx,
      { ...auditContext(ctx, user.workspace_id), actor: { type: 'user', id: user.id, userId: user.id } },
      { action: 'auth.login', entity: 'user', entityId: user.id },
    );
    return opened;
  });
  clearAuthCaches();
  return { session, me: await meOfSession(ctx, user, session.csrfToken) };
}

export async function logout(ctx: RequestContext) {
  const auth = ctx.auth;
  if (!auth?.sessionId) return;
  await ctx.deps.db.transaction().execute(async (tx) => {
    await deleteSession(tx, auth.sessionId!);
    await audit(tx, auditContext(ctx), { action: 'auth.logout', entity: 'user', entityId: auth.userId });
  });
}

export async function changePassword(
  ctx: RequestContext,
  auth: Auth,
  currentPassword: string,
  newPassword: string,
) {
  const { db } = ctx.deps;
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', auth.userId)
    .executeTakeFirstOrThrow();
  const limit = { key: `password:user:${user.id}`, max: passwordChangeLimit, windowSeconds: fifteenMinutes };
  await assertUnderLimits(db, [limit], 'Too many wrong current passwords. Wait a few minutes and try again.');
  if (!(await verifyPassword(currentPassword, user.password_hash))) {
    await recordHit(db, limit);
    throw new AppError('validation_failed', 'The current password is wrong.', {
      errors: [{ path: 'body.currentPassword', message: 'is wrong.' }],
    });
  }
  const hash = await hashPassword(newPassword);
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ password_hash: hash, updated_at: new Date() })
      .where('id', '=', user.id)
      .execute();
    await deleteUserSessions(tx, user.id, auth.sessionId ?? undefined);
    await audit(tx, auditContext(ctx), {
      action: 'user.password_changed',
      entity: 'user',
      entityId: user.id,
    });
  });
}
