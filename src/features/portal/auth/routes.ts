import { z } from 'zod';
import { requireCustomer } from '../../../platform/http/context.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import {
  magicLinkInput,
  portalSession,
  portalSite,
  portalWorkspaceQuery,
  redeemInput,
} from '../../../shared/portal.ts';
import { resolvePortal } from '../site.ts';
import {
  clearPortalCookie,
  loadPortalSession,
  magicLinkMinutes,
  redeemMagicLink,
  requestMagicLink,
  setPortalCookie,
  signOut,
} from './service.ts';

const tag = 'portal';
const base = '/portal/api/v1';

export const portalAuthRoutes = [
  defineRoute({
    method: 'GET',
    url: `${base}/site`,
    audience: 'portal',
    permission: 'public',
    optionalAuth: true,
    tag,
    summary: "The portal's branding and which of its parts are on",
    query: portalWorkspaceQuery,
    response: portalSite,
    handler: async ({ query, ctx }) => (await resolvePortal(ctx, query.workspace)).site,
  }),
  defineRoute({
    method: 'POST',
    url: `${base}/auth/magic-link`,
    audience: 'portal',
    permission: 'public',
    tag,
    summary: 'Email a one-time sign-in link',
    description:
      `The link works once, for ${magicLinkMinutes} minutes, for that email only. The answer is 202 whether or not ` +
      'the email is known. Rate-limited per email and per IP address (429). The mail goes through the outbox.',
    body: magicLinkInput,
    status: 202,
    response: z.object({ message: z.string() }),
    handler: async ({ body, ctx }) => {
      await requestMagicLink(ctx, body);
      return { message: `If the address is right, a sign-in link is on its way to ${body.email}.` };
    },
  }),
  defineRoute({
    method: 'POST',
    url: `${base}/auth/redeem`,
    audience: 'portal',
    permission: 'public',
    tag,
    summary: 'Exchange a sign-in link for a portal session (sets the rapport_portal cookie)',
    body: redeemInput,
    response: portalSession,
    handler: async ({ body, ctx, request, reply }) => {
      const result = await redeemMagicLink(ctx, body.token);
      setPortalCookie(request, reply, result.cookieValue, result.expiresAt);
      return result.session;
    },
  }),
  defineRoute({
    method: 'GET',
    url: `${base}/session`,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'The signed-in customer, their CSRF token and the portal',
    response: portalSession,
    handler: async ({ ctx }) => loadPortalSession(ctx, requireCustomer(ctx)),
  }),
  defineRoute({
    method: 'POST',
    url: `${base}/auth/sign-out`,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'End the portal session',
    status: 204,
    response: null,
    handler: async ({ ctx, reply }) => {
      await signOut(ctx, requireCustomer(ctx));
      clearPortalCookie(reply);
    },
  }),
];
