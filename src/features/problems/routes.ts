import { z } from 'zod';
import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute, type Route } from '../../platform/http/route.ts';
import { idParams, page, uuid } from '../../shared/common.ts';
import {
  closeProblemItemsInput,
  closeProblemItemsOutcome,
  createProblemInput,
  fixProblemInput,
  linkItemsInput,
  listProblemsQuery,
  problemCompare,
  problemFixOutcome,
  problemRecord,
  updateProblemInput,
} from '../../shared/problems.ts';
import { requestedVersion, setEtag } from '../people/precondition.ts';
import { closeProblemItems } from './close-items.ts';
import { compareProblem } from './compare.ts';
import { fixProblem } from './fix.ts';
import { problemsPage } from './queries.ts';
import { createProblem, getProblem, linkProblemItems, unlinkProblemItem, updateProblem } from './service.ts';

const tag = 'problems';

export const problemRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/problems',
    permission: 'problems.read',
    tag,
    summary: 'Problems (root causes), newest first, with their linked and open item counts',
    description: 'The linked items themselves: GET /api/v1/items?problemId=.',
    query: listProblemsQuery,
    response: page(problemRecord),
    handler: async ({ query, ctx }) => problemsPage(ctx.deps.db, requireAuth(ctx).workspaceId, query),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/problems',
    permission: 'problems.write',
    tag,
    summary: 'Open a problem, from a selection of items or from one',
    body: createProblemInput,
    status: 201,
    response: problemRecord,
    handler: async ({ body, ctx, reply }) => {
      const created = await createProblem(ctx, requireAuth(ctx), body);
      setEtag(reply, created.version);
      reply.header('Location', `/api/v1/problems/${created.id}`);
      return created;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/problems/:id',
    permission: 'problems.read',
    tag,
    summary: 'One problem (the ETag header carries the version)',
    params: idParams,
    response: problemRecord,
    handler: async ({ params, ctx, reply }) => {
      const found = await getProblem(ctx, requireAuth(ctx), params.id);
      setEtag(reply, found.version);
      return found;
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/problems/:id',
    permission: 'problems.write',
    tag,
    summary: 'Change the title, hypothesis, owner or status; send the version you read (409 when stale)',
    params: idParams,
    body: updateProblemInput,
    response: problemRecord,
    handler: async ({ params, body, ctx, request, reply }) => {
      const { version: bodyVersion, ...fields } = body;
      const version = requestedVersion(request, bodyVersion, true)!;
      const updated = await updateProblem(ctx, requireAuth(ctx), params.id, fields, version);
      setEtag(reply, updated.version);
      return updated;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/problems/:id/items',
    permission: 'problems.write',
    tag,
    summary:
      'Link items; an item belongs to at most one problem (409 lists those linked elsewhere; 409 once fixed)',
    params: idParams,
    body: linkItemsInput,
    response: problemRecord,
    handler: async ({ params, body, ctx }) =>
      linkProblemItems(ctx, requireAuth(ctx), params.id, body.itemIds),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/problems/:id/items/:itemId',
    permission: 'problems.write',
    tag,
    summary: 'Unlink an item from the problem',
    params: z.strictObject({ id: uuid, itemId: uuid }),
    response: problemRecord,
    handler: async ({ params, ctx }) => unlinkProblemItem(ctx, requireAuth(ctx), params.id, params.itemId),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/problems/:id/compare',
    permission: 'problems.read',
    tag,
    summary:
      'Observation values of the linked items next to comparable unlinked ones, most separating key first',
    params: idParams,
    response: problemCompare,
    handler: async ({ params, ctx }) => compareProblem(ctx, requireAuth(ctx), params.id),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/problems/:id/fix',
    permission: 'problems.fix',
    tag,
    summary: 'Mark fixed and tell every customer of every linked item, one personalised message each',
    description:
      'Open linked items are resolved with the summary; every linked item (and duplicate merged into one) records ' +
      "an 'informed' event. Customers without an email are returned in withoutEmail. Fixing twice → 409.",
    params: idParams,
    body: fixProblemInput,
    response: problemFixOutcome,
    handler: async ({ params, body, ctx }) => fixProblem(ctx, requireAuth(ctx), params.id, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/problems/:id/close-items',
    permission: 'problems.write',
    tag,
    summary:
      'Close the resolved linked items that were informed and thanked (or all resolved ones, with a reason)',
    params: idParams,
    body: closeProblemItemsInput,
    response: closeProblemItemsOutcome,
    handler: async ({ params, body, ctx }) =>
      closeProblemItems(ctx, requireAuth(ctx), params.id, body.reason),
  }),
];
