import { z } from 'zod';
import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { idParams, page } from '../../shared/common.ts';
import {
  createRelationshipInput,
  createRelationshipTypeInput,
  influenceMap,
  listRelationshipsQuery,
  relationship,
  relationshipType,
} from '../../shared/relationships.ts';
import {
  createRelationship,
  createRelationshipType,
  deleteRelationship,
  deleteRelationshipType,
  getInfluenceMap,
  listRelationshipsPage,
  listRelationshipTypes,
} from './service.ts';

const tag = 'relationships';

export const relationshipRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/relationships',
    permission: 'relationships.read',
    tag,
    summary: 'Links of the workspace, newest first; with personId or organizationId, both directions',
    query: listRelationshipsQuery,
    response: page(relationship),
    handler: async ({ query, ctx }) => listRelationshipsPage(ctx, requireAuth(ctx), query),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/relationships',
    permission: 'relationships.write',
    tag,
    summary: 'Link two parties (people or organizations) with a typed, directed relationship',
    description:
      '422 names the field when a party is unknown, the same on both ends, or the type does not fit; ' +
      '409 when the same link exists (either way for symmetric types such as friend).',
    body: createRelationshipInput,
    status: 201,
    response: relationship,
    handler: async ({ body, ctx }) => createRelationship(ctx, requireAuth(ctx), body),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/relationships/:id',
    permission: 'relationships.write',
    tag,
    summary: 'Remove a link',
    params: idParams,
    status: 204,
    response: null,
    handler: async ({ params, ctx }) => deleteRelationship(ctx, requireAuth(ctx), params.id),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/relationship-types',
    permission: 'relationships.read',
    tag,
    summary: 'Relationship types: the built-in ones and those the workspace added',
    response: z.object({ data: z.array(relationshipType) }),
    handler: async ({ ctx }) => listRelationshipTypes(ctx, requireAuth(ctx)),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/relationship-types',
    permission: 'relationships.write',
    tag,
    summary: 'Add a relationship type to the workspace (409 when the key is taken)',
    body: createRelationshipTypeInput,
    status: 201,
    response: relationshipType,
    handler: async ({ body, ctx }) => createRelationshipType(ctx, requireAuth(ctx), body),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/relationship-types/:id',
    permission: 'relationships.write',
    tag,
    summary: 'Delete a workspace relationship type (409 while links use it)',
    params: idParams,
    status: 204,
    response: null,
    handler: async ({ params, ctx }) => deleteRelationshipType(ctx, requireAuth(ctx), params.id),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/people/:id/influence',
    permission: 'relationships.read',
    tag,
    summary: 'Whom a person influences and who influences them, two hops deep, with customer counts',
    description:
      'Follows `influences` links and `referred_by` links (whoever referred someone influenced them). ' +
      'customerCount counts live people at stage customer linked to the node by any relationship. ' +
      'At most 50 people at hop 1 and 20 per hop-1 person at hop 2; `truncated` says when some were left out.',
    params: idParams,
    response: influenceMap,
    handler: async ({ params, ctx }) => getInfluenceMap(ctx, requireAuth(ctx), params.id),
  }),
];
