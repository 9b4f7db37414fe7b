import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute, type Route } from '../../platform/http/route.ts';
import { idParams, page } from '../../shared/common.ts';
import { createViewInput, listViewsQuery, savedView, updateViewInput } from '../../shared/views.ts';
import { requestedVersion, setEtag } from '../people/precondition.ts';
import { createView, deleteView, getView, listViews, updateView } from './service.ts';

const tag = 'saved views';

export const savedViewRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/views',
    permission: 'views.read',
    tag,
    summary: 'Saved list views the caller can use: their own and the shared ones',
    query: listViewsQuery,
    response: page(savedView),
    handler: async ({ query, ctx }) => listViews(ctx, requireAuth(ctx), query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/views/:id',
    permission: 'views.read',
    tag,
    summary: 'One saved view (someone else’s private view answers 404)',
    params: idParams,
    response: savedView,
    handler: async ({ params, ctx, reply }) => {
      const found = await getView(ctx, requireAuth(ctx), params.id);
      setEtag(reply, found.version);
      return found;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/views',
    permission: 'views.write',
    tag,
    summary: 'Save a list view (filters, sort and columns), private or shared with the workspace',
    body: createViewInput,
    status: 201,
    response: savedView,
    handler: async ({ body, ctx, reply }) => {
      const created = await createView(ctx, requireAuth(ctx), body);
      setEtag(reply, created.version);
      return created;
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/views/:id',
    permission: 'views.write',
    tag,
    summary: 'Change a saved view; only its owner or an admin may (send the version you read)',
    params: idParams,
    body: updateViewInput,
    response: savedView,
    handler: async ({ params, body, ctx, request, reply }) => {
      const { version: bodyVersion, ...fields } = body;
      const version = requestedVersion(request, bodyVersion, true)!;
      const updated = await updateView(ctx, requireAuth(ctx), params.id, fields, version);
      setEtag(reply, updated.version);
      return updated;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/views/:id',
    permission: 'views.write',
    tag,
    summary: 'Delete a saved view; only its owner or an admin may (If-Match is honoured)',
    params: idParams,
    status: 204,
    response: null,
    handler: async ({ params, ctx, request }) => {
      await deleteView(ctx, requireAuth(ctx), params.id, requestedVersion(request, undefined, false));
    },
  }),
];
