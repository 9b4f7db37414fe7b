import type { Route } from '../../../platform/http/route.ts';

/** Customer side: GET/POST /items, GET /items/:id, POST /items/:id/messages, rating. */
export const portalItemRoutes: Route[] = [];
