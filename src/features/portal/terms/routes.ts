import { requireAuth, requireCustomer } from '../../../platform/http/context.ts';
import { defineRoute, type Route } from '../../../platform/http/route.ts';
import { idParams } from '../../../shared/common.ts';
import { termsRecord } from '../../../shared/portal.ts';
import {
  personMessageInput,
  personMessageSent,
  personTerms,
  putTermsInput,
  termsAgreement,
  termsHistory,
} from '../../../shared/portal-terms.ts';
import { getMyTerms, getMyTermsHistory, myTermsAgreement, setMyTerms } from './service.ts';
import { personTermsOverview, sendPersonMessage } from './staff.ts';

const tag = 'portal';
const base = '/portal/api/v1/me/terms';

/** Customer side: GET/PUT /me/terms and the machine-readable agreement. */
export const portalTermsRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: base,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'My terms: how the company may contact me, for what, how often, and sharing',
    description: 'Version 0 with the defaults until the customer sets terms.',
    response: termsRecord,
    handler: async ({ ctx }) => getMyTerms(ctx, requireCustomer(ctx)),
  }),
  defineRoute({
    method: 'PUT',
    url: base,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'Set my terms (a new version; the newest is in force)',
    description:
      'Send the whole terms object. With `version` (the version you read), 409 when the terms changed since. ' +
      'Creates your person record when you have none yet. Rate-limited like other submissions (429).',
    body: putTermsInput,
    response: termsRecord,
    handler: async ({ body, ctx }) => setMyTerms(ctx, requireCustomer(ctx), body),
  }),
  defineRoute({
    method: 'GET',
    url: `${base}/history`,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'Every version of my terms, newest first, with when it was set',
    response: termsHistory,
    handler: async ({ ctx }) => ({ data: await getMyTermsHistory(ctx, requireCustomer(ctx)) }),
  }),
  defineRoute({
    method: 'GET',
    url: `${base}/agreement`,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'My terms as a machine-readable agreement record (JSON download, in the spirit of IEEE 7012)',
    description:
      'I am the first party proffering the terms; the company is the second party agreeing to them. ' +
      'Includes every channel, purpose and sharing choice as allow/deny, the version, its history and the sha256 ' +
      'of the canonical terms. Sent as an attachment named my-terms.json.',
    response: termsAgreement,
    handler: async ({ ctx, reply }) => {
      const agreement = await myTermsAgreement(ctx, requireCustomer(ctx));
      reply.header('Content-Disposition', 'attachment; filename="my-terms.json"');
      return agreement;
    },
  }),
];

/** Staff side: a person's terms, and sending them a message under those terms. */
export const termsRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/people/:id/terms',
    permission: 'people.read',
    tag,
    summary: "A person's terms: in force, every version, and messages sent in the last 365 days",
    params: idParams,
    response: personTerms,
    handler: async ({ params, ctx }) => personTermsOverview(ctx, requireAuth(ctx), params.id),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/people/:id/messages',
    permission: 'people.write',
    tag,
    summary:
      'Email a person a one-off message (service, product news, marketing, research) under their terms',
    description:
      "Refused with 409 and the reason when the person's terms refuse email, the purpose, or the frequency " +
      '(nothing is queued). Otherwise queued in the outbox, counted for the frequency limits and shown on ' +
      "the person's timeline as an outbound email. `to` must be one of their addresses (default: primary).",
    params: idParams,
    body: personMessageInput,
    status: 201,
    response: personMessageSent,
    handler: async ({ params, body, ctx }) => sendPersonMessage(ctx, requireAuth(ctx), params.id, body),
  }),
];
