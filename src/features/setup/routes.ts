import { defineRoute } from '../../platform/http/route.ts';
import { me, setupInput, setupStatus } from '../../shared/accounts.ts';
import { meOfSession, startSession } from '../auth/service.ts';
import { setSessionCookie } from '../auth/session-cookie.ts';
import { createFirstWorkspace, isSetupNeeded } from './service.ts';

export const setupRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/setup',
    permission: 'public',
    tag: 'setup',
    summary: 'Whether Rapport still needs its first workspace and admin',
    response: setupStatus,
    handler: async ({ ctx }) => ({ needed: await isSetupNeeded(ctx.deps.db) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/setup',
    permission: 'public',
    tag: 'setup',
    summary: 'Create the workspace and its first admin (once); signs the admin in',
    description: 'Answers 409 once a workspace exists.',
    body: setupInput,
    status: 201,
    response: me,
    handler: async ({ body, ctx, request, reply }) => {
      const user = await createFirstWorkspace(ctx.deps.db, body, ctx.requestId);
      const session = await startSession(ctx, user);
      setSessionCookie(request, reply, session.cookieValue, session.expiresAt);
      return meOfSession(ctx, user, session.csrfToken);
    },
  }),
];
