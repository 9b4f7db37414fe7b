import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { idParams, page } from '../../shared/common.ts';
import { createPersonInput, listPeopleQuery, person, updatePersonInput } from '../../shared/people.ts';
import { deletedPerson, listDeletedQuery } from '../../shared/recently-deleted.ts';
import { peopleExtraRoutes } from './extras-routes.ts';
import { requestedVersion, setEtag } from './precondition.ts';
import { getDeletedPerson, listDeletedPeople } from './recently-deleted.ts';
import { searchRoute } from './search.ts';
import {
  createPerson,
  deletePerson,
  getPerson,
  listPeoplePage,
  restorePerson,
  updatePerson,
} from './service.ts';

const tag = 'people';

export const peopleRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/people',
    permission: 'people.read',
    tag,
    summary: 'People of the workspace: filtered, sorted, one page at a time',
    query: listPeopleQuery,
    response: page(person),
    handler: async ({ query, ctx }) => listPeoplePage(ctx, requireAuth(ctx), query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/people/:id',
    permission: 'people.read',
    tag,
    summary: 'One person (the ETag header carries the version)',
    params: idParams,
    response: person,
    handler: async ({ params, ctx, reply }) => {
      const found = await getPerson(ctx, requireAuth(ctx), params.id);
      setEtag(reply, found.version);
      return found;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/people',
    permission: 'people.write',
    tag,
    summary: 'Create a person; emails and phones are checked and normalized (422 names a bad one)',
    body: createPersonInput,
    status: 201,
    response: person,
    handler: async ({ body, ctx, reply }) => {
      const created = await createPerson(ctx, requireAuth(ctx), body);
      setEtag(reply, created.version);
      reply.header('Location', `/api/v1/people/${created.id}`);
      return created;
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/people/:id',
    permission: 'people.write',
    tag,
    summary: 'Change some fields of a person; send the version you read (409 when someone saved first)',
    description:
      'Fields left out keep their value; null clears one. Lists (emails, phones, …) are replaced whole. ' +
      'The version goes in the body (`version`) or in `If-Match: "<version>"`.',
    params: idParams,
    body: updatePersonInput,
    response: person,
    handler: async ({ params, body, ctx, request, reply }) => {
      const { version: bodyVersion, ...fields } = body;
      const version = requestedVersion(request, bodyVersion, true)!;
      const updated = await updatePerson(ctx, requireAuth(ctx), params.id, fields, version);
      setEtag(reply, updated.version);
      return updated;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/people/:id',
    permission: 'people.delete',
    tag,
    summary: 'Delete a person (restorable for 30 days; If-Match is honoured)',
    params: idParams,
    status: 204,
    response: null,
    handler: async ({ params, ctx, request }) => {
      await deletePerson(ctx, requireAuth(ctx), params.id, requestedVersion(request, undefined, false));
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/people/:id/restore',
    permission: 'people.delete',
    tag,
    summary: 'Undo the deletion of a person, within 30 days',
    params: idParams,
    response: person,
    handler: async ({ params, ctx, reply }) => {
      const restored = await restorePerson(ctx, requireAuth(ctx), params.id);
      setEtag(reply, restored.version);
      return restored;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/people/deleted',
    permission: 'people.delete',
    tag,
    summary: 'Recently deleted people that can still be restored, most recently deleted first',
    description:
      'People deleted in the last 30 days, with when and by whom; merged people are left out (undo the ' +
      'merge instead). Restore one with POST /api/v1/people/{id}/restore.',
    query: listDeletedQuery,
    response: page(deletedPerson),
    handler: async ({ query, ctx }) => listDeletedPeople(ctx, requireAuth(ctx), query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/people/deleted/:id',
    permission: 'people.delete',
    tag,
    summary: 'One recently deleted person that can still be restored (404 otherwise)',
    params: idParams,
    response: deletedPerson,
    handler: async ({ params, ctx }) => getDeletedPerson(ctx, requireAuth(ctx), params.id),
  }),
  searchRoute,
  ...peopleExtraRoutes,
];
