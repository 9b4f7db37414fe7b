import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { idParams, page } from '../../shared/common.ts';
import {
  createInteractionInput,
  goneQuietPerson,
  goneQuietQuery,
  interaction,
  listInteractionsQuery,
  timelineQuery,
  updateInteractionInput,
} from '../../shared/interactions.ts';
import { requestedVersion, setEtag } from '../people/precondition.ts';
import { goneQuietPage } from './gone-quiet.ts';
import {
  createInteraction,
  deleteInteraction,
  getInteraction,
  listInteractionsPage,
  restoreInteraction,
  timelinePage,
  updateInteraction,
} from './service.ts';

const tag = 'interactions';

export const interactionRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/interactions',
    permission: 'interactions.read',
    tag,
    summary: 'Interactions, newest first: all of them, or the timeline of one person or organization',
    query: listInteractionsQuery,
    response: page(interaction),
    handler: async ({ query, ctx }) => listInteractionsPage(ctx, requireAuth(ctx), query),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/interactions',
    permission: 'interactions.write',
    tag,
    summary: 'Log a call, meeting, email, message, visit, purchase or note',
    description:
      "Every type but `note` moves the people's last-contacted date forward to `occurredAt` (never back). " +
      '`staffIds` defaults to the caller; `nextFollowUpAt` is set on every person taking part.',
    body: createInteractionInput,
    status: 201,
    response: interaction,
    handler: async ({ body, ctx, reply }) => {
      const created = await createInteraction(ctx, requireAuth(ctx), body);
      setEtag(reply, created.version);
      reply.header('Location', `/api/v1/interactions/${created.id}`);
      return created;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/interactions/:id',
    permission: 'interactions.read',
    tag,
    summary: 'One interaction with its participants (the ETag header carries the version)',
    params: idParams,
    response: interaction,
    handler: async ({ params, ctx, reply }) => {
      const found = await getInteraction(ctx, requireAuth(ctx), params.id);
      setEtag(reply, found.version);
      return found;
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/interactions/:id',
    permission: 'interactions.write',
    tag,
    summary: 'Change an interaction; send the version you read (409 when someone saved first)',
    description:
      'personIds and staffIds replace the participants. Last-contacted dates of the people concerned are recomputed.',
    params: idParams,
    body: updateInteractionInput,
    response: interaction,
    handler: async ({ params, body, ctx, request, reply }) => {
      const { version: bodyVersion, ...fields } = body;
      const version = requestedVersion(request, bodyVersion, true)!;
      const updated = await updateInteraction(ctx, requireAuth(ctx), params.id, fields, version);
      setEtag(reply, updated.version);
      return updated;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/interactions/:id',
    permission: 'interactions.write',
    tag,
    summary: "Delete an interaction (restorable); the people's last-contacted dates are recomputed",
    params: idParams,
    status: 204,
    response: null,
    handler: async ({ params, ctx, request }) => {
      await deleteInteraction(ctx, requireAuth(ctx), params.id, requestedVersion(request, undefined, false));
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/interactions/:id/restore',
    permission: 'interactions.write',
    tag,
    summary: 'Undo the deletion of an interaction',
    params: idParams,
    response: interaction,
    handler: async ({ params, ctx }) => restoreInteraction(ctx, requireAuth(ctx), params.id),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/people/:id/timeline',
    permission: 'interactions.read',
    tag,
    summary: "A person's interactions, newest first, filterable by type",
    params: idParams,
    query: timelineQuery,
    response: page(interaction),
    handler: async ({ params, query, ctx }) =>
      timelinePage(ctx, requireAuth(ctx), { personId: params.id }, query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/organizations/:id/timeline',
    permission: 'interactions.read',
    tag,
    summary: "An organization's interactions and those of its people, merged, newest first",
    params: idParams,
    query: timelineQuery,
    response: page(interaction),
    handler: async ({ params, query, ctx }) =>
      timelinePage(ctx, requireAuth(ctx), { organizationId: params.id }, query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/people/gone-quiet',
    permission: 'people.read',
    tag,
    summary: 'People not contacted within a number of days, the longest-quiet first',
    description:
      'People never contacted are left out unless includeNever=true (then they come first). ' +
      '"Contacted" means any interaction but a note.',
    query: goneQuietQuery,
    response: page(goneQuietPerson),
    handler: async ({ query, ctx }) => goneQuietPage(ctx, requireAuth(ctx), query),
  }),
];
