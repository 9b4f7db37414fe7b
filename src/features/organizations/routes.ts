import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { idParams, page } from '../../shared/common.ts';
import {
  createOrganizationInput,
  listOrganizationsQuery,
  organization,
  updateOrganizationInput,
} from '../../shared/organizations.ts';
import { deletedOrganization, listDeletedQuery } from '../../shared/recently-deleted.ts';
import { requestedVersion, setEtag } from '../people/precondition.ts';
import { getDeletedOrganization, listDeletedOrganizations } from '../people/recently-deleted.ts';
import {
  createOrganization,
  deleteOrganization,
  getOrganization,
  listOrganizationsPage,
  restoreOrganization,
  updateOrganization,
} from './service.ts';

const tag = 'organizations';

export const organizationRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/organizations',
    permission: 'organizations.read',
    tag,
    summary: 'Organizations of the workspace: filtered, sorted, one page at a time',
    query: listOrganizationsQuery,
    response: page(organization),
    handler: async ({ query, ctx }) => listOrganizationsPage(ctx, requireAuth(ctx), query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/organizations/deleted',
    permission: 'organizations.delete',
    tag,
    summary: 'Recently deleted organizations that can still be restored, most recently deleted first',
    description:
      'Organizations deleted in the last 30 days, with when and by whom, and how many people their ' +
      'deletion detached (restoring re-links those that still have no organization). Restore one ' +
      'with POST /api/v1/organizations/{id}/restore.',
    query: listDeletedQuery,
    response: page(deletedOrganization),
    handler: async ({ query, ctx }) => listDeletedOrganizations(ctx, requireAuth(ctx), query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/organizations/deleted/:id',
    permission: 'organizations.delete',
    tag,
    summary: 'One recently deleted organization that can still be restored (404 otherwise)',
    params: idParams,
    response: deletedOrganization,
    handler: async ({ params, ctx }) => getDeletedOrganization(ctx, requireAuth(ctx), params.id),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/organizations/:id',
    permission: 'organizations.read',
    tag,
    summary: 'One organization (the ETag header carries the version)',
    params: idParams,
    response: organization,
    handler: async ({ params, ctx, reply }) => {
      const found = await getOrganization(ctx, requireAuth(ctx), params.id);
      setEtag(reply, found.version);
      return found;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/organizations',
    permission: 'organizations.write',
    tag,
    summary: 'Create an organization; domains are normalized (422 names a bad one)',
    body: createOrganizationInput,
    status: 201,
    response: organization,
    handler: async ({ body, ctx, reply }) => {
      const created = await createOrganization(ctx, requireAuth(ctx), body);
      setEtag(reply, created.version);
      reply.header('Location', `/api/v1/organizations/${created.id}`);
      return created;
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/organizations/:id',
    permission: 'organizations.write',
    tag,
    summary:
      'Change some fields of an organization; send the version you read (409 when someone saved first)',
    description:
      'Fields left out keep their value; null clears one. The version goes in the body (`version`) ' +
      'or in `If-Match: "<version>"`.',
    params: idParams,
    body: updateOrganizationInput,
    response: organization,
    handler: async ({ params, body, ctx, request, reply }) => {
      const { version: bodyVersion, ...fields } = body;
      const version = requestedVersion(request, bodyVersion, true)!;
      const updated = await updateOrganization(ctx, requireAuth(ctx), params.id, fields, version);
      setEtag(reply, updated.version);
      return updated;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/organizations/:id',
    permission: 'organizations.delete',
    tag,
    summary: 'Delete an organization (restorable for 30 days; If-Match is honoured)',
    params: idParams,
    status: 204,
    response: null,
    handler: async ({ params, ctx, request }) => {
      await deleteOrganization(ctx, requireAuth(ctx), params.id, requestedVersion(request, undefined, false));
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/organizations/:id/restore',
    permission: 'organizations.delete',
    tag,
    summary: 'Undo the deletion of an organization, within 30 days',
    params: idParams,
    response: organization,
    handler: async ({ params, ctx, reply }) => {
      const restored = await restoreOrganization(ctx, requireAuth(ctx), params.id);
      setEtag(reply, restored.version);
      return restored;
    },
  }),
];
