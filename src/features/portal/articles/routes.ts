import type { Route } from '../../../platform/http/route.ts';

/** Customer side: GET /articles?q=, GET /articles/:id, POST /articles/:id/feedback. */
export const portalArticleRoutes: Route[] = [];

/** Staff side: /api/v1/portal/articles. */
export const articleRoutes: Route[] = [];
