import { requireAuth } from '../../platform/http/context.ts';
import { checkCursor } from '../../platform/http/pagination.ts';
import { defineRoute, type Route } from '../../platform/http/route.ts';
import { pageQuery } from '../../shared/common.ts';
import { costSettingsBody, costSettingsPage, costSettingsVersion } from '../../shared/metric-costs.ts';
import { addCostSettings, listCostSettings } from './costs.ts';

export const costRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/cost-settings',
    permission: 'metrics.read',
    tag: 'goals',
    summary: 'Every version of the service cost settings, newest first',
    description:
      'The cost metrics price an item with the version in force on the day it was created (the newest ' +
      '`effectiveFrom` on or before that day, workspace time zone), so history keeps its prices.',
    query: pageQuery,
    response: costSettingsPage,
    handler: async ({ query, ctx }) =>
      listCostSettings(ctx.deps.db, requireAuth(ctx).workspaceId, {
        limit: query.limit,
        after: checkCursor(query.after),
      }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/cost-settings',
    permission: 'costs.configure',
    tag: 'goals',
    summary: 'Add a version of the cost settings, in force from a date',
    description:
      'Hourly staff cost, cost per contact by channel and estimated handling minutes by channel (used when an ' +
      'item has no recorded handling time). Earlier versions keep pricing the items created before ' +
      '`effectiveFrom`; a second version from the same day replaces the first from then on.',
    body: costSettingsBody,
    status: 201,
    response: costSettingsVersion,
    handler: async ({ body, ctx }) => addCostSettings(ctx, requireAuth(ctx), body),
  }),
];
