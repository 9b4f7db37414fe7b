import { notFound } from '../../platform/errors.ts';
import { requireAuth } from '../../platform/http/context.ts';
import { checkCursor, toPage } from '../../platform/http/pagination.ts';
import { defineRoute } from '../../platform/http/route.ts';
import {
  acceptInviteInput,
  invitedUser,
  inviteInfo,
  inviteTokenParams,
  inviteUserInput,
  me,
  updateUserInput,
  user,
} from '../../shared/accounts.ts';
import { idParams, page, pageQuery } from '../../shared/common.ts';
import { meOfSession, startSession } from '../auth/service.ts';
import { setSessionCookie } from '../auth/session-cookie.ts';
import { findUserInWorkspace, listUsers, toUser } from './queries.ts';
import { acceptInvite, describeInvite, inviteUser, resendInvite, updateUser } from './service.ts';

export const userRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/users',
    permission: 'users.read',
    tag: 'users',
    summary: 'Staff users of the workspace, newest first',
    query: pageQuery,
    response: page(user),
    handler: async ({ query, ctx }) => {
      const auth = requireAuth(ctx);
      const rows = await listUsers(ctx.deps.db, auth.workspaceId, checkCursor(query.after), query.limit);
      return toPage(rows, query.limit, toUser);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/users/:id',
    permission: 'users.read',
    tag: 'users',
    summary: 'One staff user',
    params: idParams,
    response: user,
    handler: async ({ params, ctx }) => {
      const row = await findUserInWorkspace(ctx.deps.db, requireAuth(ctx).workspaceId, params.id);
      if (!row) throw notFound('The user');
      return toUser(row);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/users',
    permission: 'users.manage',
    tag: 'users',
    summary: 'Invite a staff user: creates them as invited and emails an invite link',
    body: inviteUserInput,
    status: 201,
    response: invitedUser,
    handler: async ({ body, ctx }) => inviteUser(ctx, requireAuth(ctx), body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/users/:id/invite',
    permission: 'users.manage',
    tag: 'users',
    summary: 'Send a new invite link to a user who has not accepted yet',
    params: idParams,
    response: invitedUser,
    handler: async ({ params, ctx }) => resendInvite(ctx, requireAuth(ctx), params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/users/:id',
    permission: 'users.manage',
    tag: 'users',
    summary: "Change a user's name or role, or disable them (their sessions end at once)",
    params: idParams,
    body: updateUserInput,
    response: user,
    handler: async ({ params, body, ctx }) => updateUser(ctx, requireAuth(ctx), params.id, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/invites/:token',
    permission: 'public',
    tag: 'users',
    summary: 'What an invite link is for (404 unknown, 410 used or expired)',
    params: inviteTokenParams,
    response: inviteInfo,
    handler: async ({ params, ctx }) => describeInvite(ctx, params.token),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/invites/:token/accept',
    permission: 'public',
    tag: 'users',
    summary: 'Accept an invite: choose a password; signs the user in',
    params: inviteTokenParams,
    body: acceptInviteInput,
    response: me,
    handler: async ({ params, body, ctx, request, reply }) => {
      const user = await acceptInvite(ctx, params.token, body);
      const session = await startSession(ctx, user);
      setSessionCookie(request, reply, session.cookieValue, session.expiresAt);
      return meOfSession(ctx, user, session.csrfToken);
    },
  }),
];
