import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { digestPreference, digestPreview } from '../../shared/digest.ts';
import { getDigestPreference, previewDigest, setDigestPreference } from './service.ts';

const tag = 'goals';

export const digestRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/me/digest',
    permission: 'me.update',
    tag,
    summary: 'Whether you receive the weekly goals digest email',
    response: digestPreference,
    handler: async ({ ctx }) => getDigestPreference(ctx.deps.db, requireAuth(ctx)),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/me/digest',
    permission: 'me.update',
    tag,
    summary: 'Turn the weekly goals digest email on or off',
    body: digestPreference,
    response: digestPreference,
    handler: async ({ body, ctx }) => setDigestPreference(ctx, requireAuth(ctx), body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/digest/preview',
    permission: 'metrics.read',
    tag,
    summary: 'The weekly digest you would receive this week, computed now (nothing is sent or stored)',
    response: digestPreview,
    handler: async ({ ctx }) => previewDigest(ctx, requireAuth(ctx)),
  }),
];
