import type { Route } from '../../../platform/http/route.ts';

/** Public: the portal's logo. */
export const portalLogoRoutes: Route[] = [];

/** Staff side: /api/v1/portal/settings and the logo upload. */
export const portalSettingsRoutes: Route[] = [];
