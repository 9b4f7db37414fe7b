import type { Route } from '../../../platform/http/route.ts';

/** Customer side: the suggestions board, votes and comments. */
export const portalSuggestionRoutes: Route[] = [];

/** Staff side: /api/v1/portal/suggestions (triage). */
export const suggestionBoardRoutes: Route[] = [];
