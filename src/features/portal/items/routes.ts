import { requireCustomer } from '../../../platform/http/context.ts';
import { defineRoute, type Route } from '../../../platform/http/route.ts';
import { idParams } from '../../../shared/common.ts';
import {
  portalItem,
  portalItemCreated,
  portalItemInput,
  portalItemPage,
  portalItemsQuery,
  portalMessageInput,
  portalRatingInput,
} from '../../../shared/portal-items.ts';
import { requirePart, resolvePortal } from '../site.ts';
import { listOwnItems } from './queries.ts';
import { duplicateSeconds, getOwnItem, personOf, postMessage, rateItem, submitItem } from './service.ts';

const tag = 'portal';
const base = '/portal/api/v1/items';

/** The signed-in customer, once it is known that the items part of their portal is on. */
async function itemsCustomer(ctx: Parameters<Route['handler']>[0]['ctx']) {
  const customer = requireCustomer(ctx);
  requirePart(await resolvePortal(ctx, undefined), 'items');
  return customer;
}

/** Customer side: GET/POST /items, GET /items/:id, POST /items/:id/messages, rating. */
export const portalItemRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    url: base,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'Send us something: a question, request, suggestion, complaint, praise or opinion',
    description:
      'Creates an item on the portal channel; the customer gets the usual acknowledgement email. The first ' +
      'submission creates their record (stage prospect). The same subject and details again within ' +
      `${duplicateSeconds} seconds is refused with 409 (double submit). Rate-limited per hour (429). ` +
      '`website` is a honeypot: when it is filled in, the answer is 201 `{received: true}` and nothing is stored.',
    body: portalItemInput,
    status: 201,
    response: portalItemCreated,
    handler: async ({ body, ctx }) => {
      const customer = await itemsCustomer(ctx);
      if (body.website?.trim()) return { received: true as const };
      return submitItem(ctx, customer, body);
    },
  }),
  defineRoute({
    method: 'GET',
    url: base,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'My items, newest first',
    description:
      'Only the items the customer reported. A duplicate that staff merged into another item shows the status ' +
      'of that item (`mergedInto`).',
    query: portalItemsQuery,
    response: portalItemPage,
    handler: async ({ query, ctx }) => {
      const customer = await itemsCustomer(ctx);
      const personId = await personOf(ctx.deps.db, customer);
      if (!personId) return { data: [], next: null };
      return listOwnItems(ctx.deps.db, customer.workspaceId, personId, query);
    },
  }),
  defineRoute({
    method: 'GET',
    url: `${base}/:id`,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'One of my items with its conversation',
    description:
      'Status in plain words, times, the outcome once resolved, the rating, and the messages between the ' +
      'customer and the company (never internal notes). 404 for an item that is not the customer’s.',
    params: idParams,
    response: portalItem,
    handler: async ({ params, ctx }) => getOwnItem(ctx, await itemsCustomer(ctx), params.id),
  }),
  defineRoute({
    method: 'POST',
    url: `${base}/:id/messages`,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'Reply in one of my items',
    description:
      'Works like an answer by email: the owner is notified, an item waiting on the customer goes back to work and ' +
      'a resolved or closed item is reopened. On a duplicate merged into another item the reply goes to that ' +
      'item. Rate-limited (429). Answers the item as GET /items/:id does.',
    params: idParams,
    body: portalMessageInput,
    status: 201,
    response: portalItem,
    handler: async ({ params, body, ctx }) => postMessage(ctx, await itemsCustomer(ctx), params.id, body),
  }),
  defineRoute({
    method: 'POST',
    url: `${base}/:id/rating`,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'Rate how one of my items was handled (1–5 stars)',
    description:
      'Allowed once the item is resolved or closed (409 before); sending again changes the rating.',
    params: idParams,
    body: portalRatingInput,
    response: portalItem,
    handler: async ({ params, body, ctx }) => rateItem(ctx, await itemsCustomer(ctx), params.id, body),
  }),
];
