import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { loginInput, me, passwordChangeInput } from '../../shared/accounts.ts';
import { changePassword, loadMe, login, logout } from './service.ts';
import { clearSessionCookie, setSessionCookie } from './session-cookie.ts';

export const authRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/login',
    permission: 'public',
    tag: 'auth',
    summary: 'Sign in with email and password; sets the session cookie',
    description: 'Rate-limited per account and per IP (429 with Retry-After).',
    body: loginInput,
    response: me,
    handler: async ({ body, ctx, request, reply }) => {
      const { session, me } = await login(ctx, body);
      setSessionCookie(request, reply, session.cookieValue, session.expiresAt);
      return me;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/logout',
    permission: 'public',
    optionalAuth: true,
    tag: 'auth',
    summary: 'Sign out: ends the current session',
    status: 204,
    response: null,
    handler: async ({ ctx, reply }) => {
      await logout(ctx);
      clearSessionCookie(reply);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/me',
    permission: 'me.read',
    tag: 'auth',
    summary: 'The signed-in user, their workspace and the CSRF token of the session',
    response: me,
    handler: async ({ ctx }) => loadMe(ctx.deps.db, requireAuth(ctx)),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/me/password',
    permission: 'me.update',
    tag: 'auth',
    summary: 'Change your password (ends your other sessions)',
    body: passwordChangeInput,
    status: 204,
    response: null,
    handler: async ({ body, ctx }) => {
      await changePassword(ctx, requireAuth(ctx), body.currentPassword, body.newPassword);
    },
  }),
];
