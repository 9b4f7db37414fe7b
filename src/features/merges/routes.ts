import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute, type Route } from '../../platform/http/route.ts';
import { idParams, pageQuery } from '../../shared/common.ts';
import {
  dismissal,
  dismissDuplicateInput,
  duplicatePage,
  listDuplicatesQuery,
  mergeDetail,
  mergeInput,
  mergePage,
  mergeResult,
  undoResult,
} from '../../shared/merges.ts';
import { requestedVersion, setEtag } from '../people/precondition.ts';
import { dismissDuplicate, listDuplicates } from './duplicates.ts';
import { getMerge, listMergesPage, mergePeople, undoMerge } from './service.ts';

const tag = 'merges';

export const mergeRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/duplicates',
    permission: 'people.merge',
    tag,
    summary:
      'Likely duplicate people (same email, same phone, similar name in the same organization), best first',
    description:
      'Each pair has a score from 0 to 1 and the reasons. `person` is the older record of the two. ' +
      'Pairs dismissed as "not duplicates" are left out.',
    query: listDuplicatesQuery,
    response: duplicatePage,
    handler: async ({ query, ctx }) => listDuplicates(ctx, requireAuth(ctx), query),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/duplicates/dismiss',
    permission: 'people.merge',
    tag,
    summary: 'Mark two people as not duplicates: the pair is no longer listed',
    body: dismissDuplicateInput,
    response: dismissal,
    handler: async ({ body, ctx }) => dismissDuplicate(ctx, requireAuth(ctx), body.personId, body.otherId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/people/:id/merge',
    permission: 'people.merge',
    tag,
    summary: 'Merge another person into this one, field by field; undoable',
    description:
      '`fields` chooses per field: `survivor`, `other`, or `both` for lists, tags, customFields and ' +
      'notes (`customFields.<name>` chooses one custom field). The other person is deleted and its ' +
      'interactions and relationships move here. `version` (or If-Match) and `otherVersion` refuse ' +
      'the merge with 409 when either person changed since you read them.',
    params: idParams,
    body: mergeInput,
    response: mergeResult,
    handler: async ({ params, body, ctx, request, reply }) => {
      const result = await mergePeople(ctx, requireAuth(ctx), {
        survivorId: params.id,
        otherId: body.otherId,
        fields: body.fields,
        version: requestedVersion(request, body.version, false),
        otherVersion: body.otherVersion,
      });
      setEtag(reply, result.person.version);
      return result;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/merges',
    permission: 'people.merge',
    tag,
    summary: 'Recent merges, newest first',
    query: pageQuery,
    response: mergePage,
    handler: async ({ query, ctx }) => listMergesPage(ctx, requireAuth(ctx), query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/merges/:id',
    permission: 'people.merge',
    tag,
    summary: 'One merge: the two people, the field choices and how many references moved',
    params: idParams,
    response: mergeDetail,
    handler: async ({ params, ctx }) => getMerge(ctx, requireAuth(ctx), params.id),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/merges/:id/undo',
    permission: 'people.merge',
    tag,
    summary: 'Undo a merge: both people exactly as before, references moved back',
    description:
      'Refused with 409 when either person was changed after the merge, or when it was already undone.',
    params: idParams,
    response: undoResult,
    handler: async ({ params, ctx }) => undoMerge(ctx, requireAuth(ctx), params.id),
  }),
];
