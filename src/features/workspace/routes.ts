import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute, type Route } from '../../platform/http/route.ts';
import { updateWorkspaceInput, workspaceSettings } from '../../shared/workspace.ts';
import { getWorkspace, updateWorkspace } from './service.ts';

const tag = 'workspace';

export const workspaceRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/workspace',
    permission: 'me.read',
    tag,
    summary: 'The caller’s workspace: name and default phone region',
    response: workspaceSettings,
    handler: async ({ ctx }) => getWorkspace(ctx, requireAuth(ctx)),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/workspace',
    permission: 'workspace.manage',
    tag,
    summary: 'Rename the workspace or change the region used for phone numbers without a country code',
    body: updateWorkspaceInput,
    response: workspaceSettings,
    handler: async ({ body, ctx }) => updateWorkspace(ctx, requireAuth(ctx), body),
  }),
];
