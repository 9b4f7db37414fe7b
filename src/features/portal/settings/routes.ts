import { z } from 'zod';
import { requireAuth } from '../../../platform/http/context.ts';
import { defineRoute, type Route } from '../../../platform/http/route.ts';
import { portalSettings, portalSlug, updatePortalSettingsInput } from '../../../shared/portal.ts';
import { deletePortalLogo, readLogoUpload, readPortalLogo, setPortalLogo } from './logo.ts';
import { getPortalSettings, updatePortalSettings } from './service.ts';

const tag = 'portal';

const logoQuery = z.strictObject({
  workspace: portalSlug.optional().describe('The portal slug; optional when the server has one workspace.'),
  v: z.string().max(20).optional().describe('The logo version (from logoUrl); makes the answer cacheable.'),
});

/** Public: the portal's logo. */
export const portalLogoRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/portal/api/v1/site/logo',
    audience: 'portal',
    permission: 'public',
    optionalAuth: true,
    tag,
    summary: "The portal's logo (PNG, JPEG or WebP); 404 when it has none",
    description:
      'Use the `logoUrl` of the site: it names the version, and that answer may be cached for a year. ' +
      'Without the current version the answer must be revalidated.',
    query: logoQuery,
    handler: async ({ query, ctx, reply }) => {
      const logo = await readPortalLogo(ctx, query.workspace);
      const current = query.v === String(logo.version);
      reply
        .type(logo.type)
        .header('ETag', `"logo-${logo.version}"`)
        .header('Cache-Control', current ? 'public, max-age=31536000, immutable' : 'public, no-cache')
        .header('X-Content-Type-Options', 'nosniff');
      return logo.bytes;
    },
  }),
];

/** Staff side: /api/v1/portal/settings and the logo upload. */
export const portalSettingsRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/portal/settings',
    permission: 'portal.read',
    tag,
    summary: "The portal's settings: its address, branding, which parts are on",
    description: '`portalUrl` is PUBLIC_URL (else the address of this request) + /portal/<slug>.',
    response: portalSettings,
    handler: async ({ ctx }) => getPortalSettings(ctx, requireAuth(ctx)),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/portal/settings',
    permission: 'portal.configure',
    tag,
    summary: "Change the portal's settings (only the fields sent)",
    description:
      'A new `slug` changes the portal address (links already sent stop working); 409 when another ' +
      'workspace uses it. `title: null` shows the workspace name.',
    body: updatePortalSettingsInput,
    response: portalSettings,
    handler: async ({ body, ctx }) => updatePortalSettings(ctx, requireAuth(ctx), body),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/portal/settings/logo',
    permission: 'portal.configure',
    tag,
    summary: 'Upload the logo (multipart part "file": PNG, JPEG or WebP up to 1 MB)',
    description:
      'PNG and JPEG are scaled down to fit 256×256; WebP must already fit. 413 over 1 MB, 415 for other types.',
    response: portalSettings,
    handler: async ({ ctx, request }) => {
      const upload = await readLogoUpload(request);
      return setPortalLogo(ctx, requireAuth(ctx), upload);
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/portal/settings/logo',
    permission: 'portal.configure',
    tag,
    summary: 'Remove the logo',
    status: 204,
    response: null,
    handler: async ({ ctx }) => deletePortalLogo(ctx, requireAuth(ctx)),
  }),
];
