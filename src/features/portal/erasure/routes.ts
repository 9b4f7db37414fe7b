import { requireAuth, requireCustomer } from '../../../platform/http/context.ts';
import { defineRoute, type Route } from '../../../platform/http/route.ts';
import { idParams, page } from '../../../shared/common.ts';
import {
  approveErasureInput,
  customerErasureList,
  customerErasureRequest,
  erasureListQuery,
  erasureRequestInput,
  erasureRequestRow,
  rejectErasureInput,
} from '../../../shared/portal-erasure.ts';
import { approveErasure, listOwnRequests, listRequests, rejectErasure, requestErasure } from './service.ts';

const tag = 'portal';
const base = '/portal/api/v1';

/** Customer side: POST /me/erasure, GET /me/erasure. */
export const portalErasureRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    url: `${base}/me/erasure`,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'Ask to have your personal data erased',
    description:
      "An admin approves or rejects it by the due date (the portal's erasure deadline, 30 days unless " +
      'configured). Erasure anonymises you everywhere: names, emails, phones, addresses and what you wrote. ' +
      'You are told by email when it is done. 409 when one request is already open, or when nothing is held ' +
      'about you beyond your sign-in email.',
    body: erasureRequestInput,
    status: 201,
    response: customerErasureRequest,
    handler: async ({ body, ctx }) => requestErasure(ctx, requireCustomer(ctx), body.reason),
  }),
  defineRoute({
    method: 'GET',
    url: `${base}/me/erasure`,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'Your erasure requests, newest first, with status and due date',
    response: customerErasureList,
    handler: async ({ ctx }) => ({ data: await listOwnRequests(requireCustomer(ctx), ctx.deps.db) }),
  }),
];

/** Staff side: /api/v1/portal/erasure-requests. */
export const erasureRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/portal/erasure-requests',
    permission: 'portal.read',
    tag,
    summary: 'Erasure requests, newest first, with due dates and an overdue flag',
    description: "The person's name is shown until the erasure is done.",
    query: erasureListQuery,
    response: page(erasureRequestRow),
    handler: async ({ query, ctx }) => listRequests(ctx, requireAuth(ctx), query),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/portal/erasure-requests/:id/approve',
    permission: 'erasure.decide',
    tag,
    summary: 'Approve an erasure request and erase the person now (cannot be undone)',
    description:
      'In one transaction: queues the "done" notice to the customer, anonymises the person and everything ' +
      'that names them (items, messages, interactions, portal data, mail, audit snapshots), then sweeps every ' +
      'text column of the workspace for their names, emails and phones. Counts stay. The request row is kept ' +
      'as proof. 409 when the request was already decided.',
    params: idParams,
    body: approveErasureInput,
    response: erasureRequestRow,
    handler: async ({ params, body, ctx }) => approveErasure(ctx, requireAuth(ctx), params.id, body.note),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/portal/erasure-requests/:id/reject',
    permission: 'erasure.decide',
    tag,
    summary: 'Reject an erasure request; the note (required) is sent to the customer',
    params: idParams,
    body: rejectErasureInput,
    response: erasureRequestRow,
    handler: async ({ params, body, ctx }) => rejectErasure(ctx, requireAuth(ctx), params.id, body.note),
  }),
];
