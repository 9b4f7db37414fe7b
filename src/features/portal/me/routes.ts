import type { Route } from '../../../platform/http/route.ts';

/** Customer side: GET/PATCH /me, GET /me/export, GET /me/vcard. */
export const portalMeRoutes: Route[] = [];

/** Staff side: a person's portal activity and "changed by customer" marks. */
export const portalActivityRoutes: Route[] = [];
