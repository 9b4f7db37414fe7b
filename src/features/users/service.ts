import { audit } from '../../platform/audit.ts';
import { clearAuthCaches } from '../../platform/auth/auth-cache.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { hashSecret, newSecret } from '../../platform/auth/secrets.ts';
import { deleteUserSessions } from '../../platform/auth/sessions.ts';
import { publicUrl } from '../../platform/config.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import type { InviteUserInput, UpdateUserInput } from '../../shared/accounts.ts';
import { countActiveAdmins, findUserByEmail, findUserInWorkspace, toUser } from './queries.ts';

const inviteTtlMs = 7 * 24 * 3600_000;

/** Issues a fresh invite link (older ones stop working) and mails it. */
async function issueInvite(
  tx: Queryable,
  ctx: RequestContext,
  auth: Auth,
  user: { id: string; email: string; name: string },
): Promise<string> {
  const token = newSecret();
  await tx.deleteFrom('invites').where('user_id', '=', user.id).where('accepted_at', 'is', null).execute();
  await tx
    .insertInto('invites')
    .values({
      id: newId(),
      workspace_id: auth.workspaceId,
      user_id: user.id,
      token_hash: hashSecret(token),
      created_by: auth.userId,
      expires_at: new Date(Date.now() + inviteTtlMs),
    })
    .execute();
  const workspace = await tx
    .selectFrom('workspaces')
    .select('name')
    .where('id', '=', auth.workspaceId)
    .executeTakeFirstOrThrow();
  const inviter = await tx
    .selectFrom('users')
    .select('name')
    .where('id', '=', auth.userId)
    .executeTakeFirstOrThrow();
  const url = `${publicUrl(ctx.deps.config, ctx.origin)}/invite/${token}`;
  await queueMail(tx, {
    workspaceId: auth.workspaceId,
    to: user.email,
    subject: `${inviter.name} invited you to ${workspace.name} on Rapport`,
    text:
      `Hello ${user.name},\n\n${inviter.name} invited you to join ${workspace.name} on Rapport.\n\n` +
      `Choose your password here (the link works for 7 days):\n${url}\n`,
    entity: 'user',
    entityId: user.id,
  });
  return url;
}

export async function inviteUser(ctx: RequestContext, auth: Auth, input: InviteUserInput) {
  const exists = () => new AppError('conflict', `A user with the email ${input.email} already exists.`);
  return ctx.deps.db.transaction().execute(async (tx) => {
    if (await findUserByEmail(tx, input.email)) throw exists();
    const row = {
      id: newId(),
      workspace_id: auth.workspaceId,
      email: input.email,
      name: input.name,
      role: input.role,
      status: 'invited' as const,
    };
    const created = await tx
      .insertInto('users')
      .values(row)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: { code?: string }) => {
        // The same email invited twice at once: the unique index refuses the second.
        throw error.code === '23505' ? exists() : error;
      });
    const inviteUrl = await issueInvite(tx, ctx, auth, created);
    await audit(tx, auditContext(ctx), {
      action: 'user.invited',
      entity: 'user',
      entityId: row.id,
      after: row,
    });
    return { user: toUser(created), inviteUrl };
  });
}

export async function resendInvite(ctx: RequestContext, auth: Auth, userId: string) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const user = await findUserInWorkspace(tx, auth.workspaceId, userId);
    if (!user) throw notFound('The user');
    if (user.status === 'disabled')
      throw new AppError('conflict', 'This user is disabled; enable them first.');
    if (user.status !== 'invited')
      throw new AppError('conflict', 'This user has already accepted their invite.');
    const inviteUrl = await issueInvite(tx, ctx, auth, user);
    await audit(tx, auditContext(ctx), { action: 'user.invite_resent', entity: 'user', entityId: user.id });
    return { user: toUser(user), inviteUrl };
  });
}

export async function updateUser(ctx: RequestContext, auth: Auth, userId: string, input: UpdateUserInput) {
  const updated = await ctx.deps.db.transaction().execute(async (tx) => {
    const user = await findUserInWorkspace(tx, auth.workspaceId, userId);
    if (!user) throw notFound('The user');
    const isSelf = user.id === auth.userId;
    if (isSelf && input.disabled) throw new AppError('conflict', 'You cannot disable your own account.');
    if (isSelf && input.role && input.role !== user.role) {
      throw new AppError('conflict', 'You cannot change your own role; ask another admin.');
    }
    const losesAdmin =
      user.role === 'admin' &&
      user.status === 'active' &&
      ((input.role && input.role !== 'admin') || input.disabled);
    if (losesAdmin) {
      // Serialise admin changes per workspace: two admins disabling each other at once must not both succeed.
      await tx.selectFrom('workspaces').select('id').where('id', '=', auth.workspaceId).forUpdate().execute();
    }
    if (losesAdmin && (await countActiveAdmins(tx, auth.workspaceId)) <= 1) {
      throw new AppError('conflict', 'This is the last active admin; make someone else admin first.');
    }
    const status =
      input.disabled === undefined
        ? user.status
        : input.disabled
          ? 'disabled'
          : user.password_hash
            ? 'active'
            : 'invited';
    const updated = await tx
      .updateTable('users')
      .set({ name: input.name ?? user.name, role: input.role ?? user.role, status, updated_at: new Date() })
      .where('id', '=', user.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (status === 'disabled') {
      // A disabled user's sessions end and their API tokens are revoked for good, not just paused.
      await deleteUserSessions(tx, user.id);
      await tx
        .updateTable('api_tokens')
        .set({ revoked_at: new Date() })
        .where('user_id', '=', user.id)
        .where('revoked_at', 'is', null)
        .execute();
    }
    await audit(tx, auditContext(ctx), {
      action: 'user.updated',
      entity: 'user',
      entityId: user.id,
      before: toUser(user),
      after: toUser(updated),
    });
    return toUser(updated);
  });
  clearAuthCaches();
  return updated;
}

async function findOpenInvite(tx: Queryable, token: string) {
  const invite = await tx
    .selectFrom('invites')
    .innerJoin('users', 'users.id', 'invites.user_id')
    .innerJoin('workspaces', 'workspaces.id', 'invites.workspace_id')
    .select([
      'invites.id',
      'invites.expires_at',
      'invites.accepted_at',
      'users.id as user_id',
      'users.workspace_id',
      'users.email',
      'users.name',
      'users.status',
      'workspaces.name as workspace_name',
    ])
    .where('invites.token_hash', '=', hashSecret(token))
    .executeTakeFirst();
  if (!invite || invite.status === 'disabled') throw notFound('This invite');
  if (invite.accepted_at) throw new AppError('gone', 'This invite was already used. Sign in instead.');
  if (invite.expires_at.getTime() < Date.now()) {
    throw new AppError('gone', 'This invite has expired. Ask your admin to send a new one.');
  }
  return invite;
}

export async function describeInvite(ctx: RequestContext, token: string) {
  const invite = await findOpenInvite(ctx.deps.db, token);
  return { email: invite.email, name: invite.name, workspaceName: invite.workspace_name };
}

export async function acceptInvite(
  ctx: RequestContext,
  token: string,
  input: { name?: string; password: string },
) {
  const passwordHash = await hashPassword(input.password);
  return ctx.deps.db.transaction().execute(async (tx) => {
    const invite = await findOpenInvite(tx, token);
    // Marking the invite used first makes a second, simultaneous accept fail cleanly.
    const claimed = await tx
      .updateTable('invites')
      .set({ accepted_at: new Date() })
      .where('id', '=', invite.id)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new AppError('gone', 'This invite was already used.');
    await tx
      .updateTable('users')
      .set({
        password_hash: passwordHash,
        status: 'active',
        name: input.name ?? invite.name,
        updated_at: new Date(),
      })
      .where('id', '=', invite.user_id)
      .execute();
    await audit(
      tx,
      {
        actor: { type: 'user', id: invite.user_id, userId: invite.user_id },
        workspaceId: invite.workspace_id,
        requestId: ctx.requestId,
      },
      { action: 'user.invite_accepted', entity: 'user', entityId: invite.user_id },
    );
    return { id: invite.user_id, workspace_id: invite.workspace_id };
  });
}
