import type { Route } from '../../../platform/http/route.ts';

/** Customer side: GET/PUT /me/terms and the machine-readable agreement. */
export const portalTermsRoutes: Route[] = [];

/** Staff side: a person's terms, and sending them a message under those terms. */
export const termsRoutes: Route[] = [];
