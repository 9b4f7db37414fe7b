import { type RequestContext, requireAuth, requireCustomer } from '../../../platform/http/context.ts';
import { defineRoute, type Route } from '../../../platform/http/route.ts';
import { pageQuery } from '../../../shared/common.ts';
import {
  createIntentInput,
  customerIntent,
  customerIntentPage,
  intentIdParams,
  intentLeadDetail,
  intentLeadPage,
  intentListQuery,
  intentMessageInput,
} from '../../../shared/portal-intents.ts';
import { requirePart, resolvePortal } from '../site.ts';
import { addCustomerMessage, createIntent, listOwnIntents, withdrawIntent } from './customer-service.ts';
import { closeLead, getLead, listLeads, respondToLead } from './staff-service.ts';

const tag = 'portal';
const base = '/portal/api/v1/intents';

/** The signed-in customer, once their portal is open and its intents part is on. */
async function intentsCustomer(ctx: RequestContext) {
  const customer = requireCustomer(ctx);
  requirePart(await resolvePortal(ctx, undefined), 'intents');
  return customer;
}

/** Customer side: GET/POST /intents. */
export const portalIntentRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: base,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'What I am looking for: my intentcasts, newest first, with the answers',
    description:
      '`allowedChannels` lists the contact channels I may pick: portal, plus those my terms allow.',
    query: pageQuery,
    response: customerIntentPage,
    handler: async ({ query, ctx }) => listOwnIntents(ctx, await intentsCustomer(ctx), query),
  }),
  defineRoute({
    method: 'POST',
    url: base,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'Announce what I am looking for (what, budget range, by when, how to contact me)',
    description:
      'budgetMin must not exceed budgetMax; wantedBy must be today or later; the channel must be `portal` or ' +
      'one my terms allow (else 400). Counts towards the hourly submission limit (429).',
    body: createIntentInput,
    status: 201,
    response: customerIntent,
    handler: async ({ body, ctx }) => createIntent(ctx, await intentsCustomer(ctx), body),
  }),
  defineRoute({
    method: 'POST',
    url: `${base}/:id/withdraw`,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'Withdraw one of my open intentcasts (409 when no longer open)',
    params: intentIdParams,
    response: customerIntent,
    handler: async ({ params, ctx }) => withdrawIntent(ctx, await intentsCustomer(ctx), params.id),
  }),
  defineRoute({
    method: 'POST',
    url: `${base}/:id/messages`,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'Add a follow-up message to one of my open intentcasts',
    params: intentIdParams,
    body: intentMessageInput,
    status: 201,
    response: customerIntent,
    handler: async ({ params, body, ctx }) =>
      addCustomerMessage(ctx, await intentsCustomer(ctx), params.id, body),
  }),
];

/** Staff side: /api/v1/portal/intents. */
export const intentRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/portal/intents',
    permission: 'portal.read',
    tag,
    summary: 'Intentcasts as leads, newest first (filter by status and words)',
    query: intentListQuery,
    response: intentLeadPage,
    handler: async ({ query, ctx }) => listLeads(ctx, requireAuth(ctx), query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/portal/intents/:id',
    permission: 'portal.read',
    tag,
    summary: 'One intentcast with its conversation',
    params: intentIdParams,
    response: intentLeadDetail,
    handler: async ({ params, ctx }) => getLead(ctx, requireAuth(ctx), params.id),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/portal/intents/:id/responses',
    permission: 'portal.content',
    tag,
    summary: 'Answer an open intentcast through the portal',
    description:
      "The answer shows in the customer's portal. When their terms allow email for service messages, they " +
      'are also told by email ("You have an answer about: …", through the outbox); `emailAllowed` on the ' +
      'intentcast says whether that will happen. 409 when the intentcast is closed or withdrawn.',
    params: intentIdParams,
    body: intentMessageInput,
    status: 201,
    response: intentLeadDetail,
    handler: async ({ params, body, ctx }) => respondToLead(ctx, requireAuth(ctx), params.id, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/portal/intents/:id/close',
    permission: 'portal.content',
    tag,
    summary: 'Close an open intentcast (409 when it is no longer open)',
    params: intentIdParams,
    response: intentLeadDetail,
    handler: async ({ params, ctx }) => closeLead(ctx, requireAuth(ctx), params.id),
  }),
];
