import type { Route } from '../../../platform/http/route.ts';

/** Customer side: GET/POST /intents. */
export const portalIntentRoutes: Route[] = [];

/** Staff side: /api/v1/portal/intents. */
export const intentRoutes: Route[] = [];
