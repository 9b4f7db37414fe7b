import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute, type Route } from '../../platform/http/route.ts';
import { dashboard, dashboardInput } from '../../shared/dashboard.ts';
import { getDashboard, putDashboard } from './service.ts';

export const dashboardRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/dashboard',
    permission: 'metrics.read',
    tag: 'goals',
    summary: "The metrics on the caller's dashboard (the defaults until they choose)",
    response: dashboard,
    handler: async ({ ctx }) => getDashboard(ctx, requireAuth(ctx)),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/dashboard',
    permission: 'metrics.read',
    tag: 'goals',
    summary: "Choose the metrics on the caller's dashboard, in order",
    description:
      'Names come from GET /api/v1/metrics; an unknown name answers 400. An empty list shows no cards.',
    body: dashboardInput,
    response: dashboard,
    handler: async ({ body, ctx }) => putDashboard(ctx, requireAuth(ctx), body),
  }),
];
