import type { Route } from '../../../platform/http/route.ts';

/** Customer side: POST /me/erasure, GET /me/erasure. */
export const portalErasureRoutes: Route[] = [];

/** Staff side: /api/v1/portal/erasure-requests. */
export const erasureRoutes: Route[] = [];
