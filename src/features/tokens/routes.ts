import { z } from 'zod';
import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { apiToken, createdToken, createTokenInput } from '../../shared/accounts.ts';
import { idParams } from '../../shared/common.ts';
import { createToken, listTokens, revokeToken } from './service.ts';

export const tokenRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/tokens',
    permission: 'tokens.manage',
    tag: 'tokens',
    summary: 'Your API tokens (never the secrets)',
    response: z.object({ data: z.array(apiToken) }),
    handler: async ({ ctx }) => ({ data: await listTokens(ctx, requireAuth(ctx)) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/tokens',
    permission: 'tokens.manage',
    tag: 'tokens',
    summary: 'Create an API token; the secret is in this response only',
    body: createTokenInput,
    status: 201,
    response: createdToken,
    handler: async ({ body, ctx }) => createToken(ctx, requireAuth(ctx), body.name),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/tokens/:id',
    permission: 'tokens.manage',
    tag: 'tokens',
    summary: 'Revoke one of your API tokens (it stops working at once)',
    params: idParams,
    status: 204,
    response: null,
    handler: async ({ params, ctx }) => revokeToken(ctx, requireAuth(ctx), params.id),
  }),
];
