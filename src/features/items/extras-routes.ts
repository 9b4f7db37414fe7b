import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute, type Route } from '../../platform/http/route.ts';
import { idParams, page, pageQuery } from '../../shared/common.ts';
import {
  addObservationInput,
  category,
  categoryInput,
  item,
  itemVote,
  mergeItemInput,
  observation,
  unvoteQuery,
  updateCategoryInput,
  voteInput,
  voteResult,
} from '../../shared/listening.ts';
import { messageTemplateList, messageTemplatesBody } from '../../shared/listening-settings.ts';
import { requestedVersion, setEtag } from '../people/precondition.ts';
import { createCategory, deleteCategory, getCategory, listCategories, updateCategory } from './categories.ts';
import { mergeItems } from './merge.ts';
import { addObservation } from './observations.ts';
import { listTemplates, saveTemplates } from './templates-service.ts';
import { itemTimeRoutes } from './time-routes.ts';
import { castVote, votesPage, withdrawVote } from './votes.ts';

const tag = 'items';
const settingsTag = 'listening settings';

const observationRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/items/:id/observations',
    permission: 'items.write',
    tag,
    summary: 'Record a condition of the occurrence (key = typed value), with author and time',
    description:
      "The type is the one given, else the category template's type for the key, else inferred from the value " +
      "(number, boolean, else text). Date-times are ISO 8601 with a zone; choices must be one of the template's. " +
      'A value the item already has for the key is not stored twice: the earlier observation is returned.',
    params: idParams,
    body: addObservationInput,
    status: 201,
    response: observation,
    handler: async ({ params, body, ctx }) =>
      (await addObservation(ctx, requireAuth(ctx), params.id, body)).observation,
  }),
];

const categoryRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/item-categories',
    permission: 'items.read',
    tag: settingsTag,
    summary: 'Product/area categories of items, by name, with their observation templates',
    query: pageQuery,
    response: page(category),
    handler: async ({ query, ctx }) => listCategories(ctx, requireAuth(ctx), query),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/item-categories',
    permission: 'listening.configure',
    tag: settingsTag,
    summary: 'Add a category; its observation template asks the same questions of every occurrence',
    body: categoryInput,
    status: 201,
    response: category,
    handler: async ({ body, ctx, reply }) => {
      const created = await createCategory(ctx, requireAuth(ctx), body);
      setEtag(reply, created.version);
      reply.header('Location', `/api/v1/item-categories/${created.id}`);
      return created;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/item-categories/:id',
    permission: 'items.read',
    tag: settingsTag,
    summary: 'One category (the ETag header carries the version)',
    params: idParams,
    response: category,
    handler: async ({ params, ctx, reply }) => {
      const found = await getCategory(ctx, requireAuth(ctx), params.id);
      setEtag(reply, found.version);
      return found;
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/item-categories/:id',
    permission: 'listening.configure',
    tag: settingsTag,
    summary: 'Rename a category or change its template; send the version you read (409 when stale)',
    description: 'Observations already recorded keep their values and types.',
    params: idParams,
    body: updateCategoryInput,
    response: category,
    handler: async ({ params, body, ctx, request, reply }) => {
      const { version: bodyVersion, ...fields } = body;
      const version = requestedVersion(request, bodyVersion, true)!;
      const updated = await updateCategory(ctx, requireAuth(ctx), params.id, fields, version);
      setEtag(reply, updated.version);
      return updated;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/item-categories/:id',
    permission: 'listening.configure',
    tag: settingsTag,
    summary: 'Delete a category; its items keep their observations and lose the category',
    params: idParams,
    status: 204,
    response: null,
    handler: async ({ params, ctx, request }) => {
      await deleteCategory(ctx, requireAuth(ctx), params.id, requestedVersion(request, undefined, false));
    },
  }),
];

const templateRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/message-templates',
    permission: 'items.read',
    tag: settingsTag,
    summary: 'Acknowledgement, thank-you and fix-notice templates for every kind (defaults filled in)',
    response: messageTemplateList,
    handler: async ({ ctx }) => listTemplates(ctx, requireAuth(ctx)),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/message-templates',
    permission: 'listening.configure',
    tag: settingsTag,
    summary: 'Save templates (those not given stay as they are); unknown {{placeholders}} are refused',
    description:
      'A template saved with exactly the default text follows the default again (customised: false).',
    body: messageTemplatesBody,
    response: messageTemplateList,
    handler: async ({ body, ctx }) => saveTemplates(ctx, requireAuth(ctx), body.templates),
  }),
];

const mergeAndVoteRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/items/:id/merge',
    permission: 'items.merge',
    tag,
    summary: 'Merge a duplicate into this item: it is closed, its votes move here, its customers are kept',
    description:
      'Informing, thanking and fixing this item reach the customers of every item merged into it. ' +
      'Returns this item.',
    params: idParams,
    body: mergeItemInput,
    response: item,
    handler: async ({ params, body, ctx }) => mergeItems(ctx, requireAuth(ctx), params.id, body.otherId),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/items/:id/vote',
    permission: 'items.write',
    tag,
    summary: "Vote for a suggestion (your own vote, or a customer's with personId)",
    params: idParams,
    body: voteInput,
    status: 201,
    response: voteResult,
    handler: async ({ params, body, ctx }) => castVote(ctx, requireAuth(ctx), params.id, body.personId),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/items/:id/vote',
    permission: 'items.write',
    tag,
    summary: "Withdraw your vote (or a customer's, with ?personId=)",
    params: idParams,
    query: unvoteQuery,
    response: voteResult,
    handler: async ({ params, query, ctx }) => withdrawVote(ctx, requireAuth(ctx), params.id, query.personId),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/items/:id/votes',
    permission: 'items.read',
    tag,
    summary: 'Who voted for an item, newest first',
    params: idParams,
    query: pageQuery,
    response: page(itemVote),
    handler: async ({ params, query, ctx }) => votesPage(ctx, requireAuth(ctx), params.id, query),
  }),
];

export const itemExtraRoutes: Route[] = [
  ...observationRoutes,
  ...categoryRoutes,
  ...templateRoutes,
  ...mergeAndVoteRoutes,
  ...itemTimeRoutes,
];
