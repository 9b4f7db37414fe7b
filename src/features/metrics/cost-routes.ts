import { nowOf, requireAuth } from '../../platform/http/context.ts';
import { checkCursor } from '../../platform/http/pagination.ts';
import { defineRoute, type Route } from '../../platform/http/route.ts';
import { idParams, pageQuery } from '../../shared/common.ts';
import {
  costSettingsBody,
  costSettingsPage,
  costSettingsPreview,
  costSettingsPreviewBody,
  costSettingsVersion,
} from '../../shared/metric-costs.ts';
import { previewCostSettings } from './cost-preview.ts';
import { addCostSettings, deleteCostSettings, listCostSettings } from './costs.ts';

export const costRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/cost-settings',
    permission: 'metrics.read',
    tag: 'goals',
    summary: 'Every version of the service cost settings, newest first',
    description:
      'The cost metrics price an item with the version in force on the day it was created (the newest ' +
      '`effectiveFrom` on or before that day, workspace time zone), so history keeps its prices. `status` says ' +
      'which version prices the items created today.',
    query: pageQuery,
    response: costSettingsPage,
    handler: async ({ query, ctx }) =>
      listCostSettings(ctx.deps.db, requireAuth(ctx).workspaceId, nowOf(ctx.deps), {
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
  defineRoute({
    method: 'POST',
    url: '/api/v1/cost-settings/preview',
    permission: 'costs.configure',
    tag: 'goals',
    summary: "What a month's items would cost with these settings (nothing is saved)",
    description:
      'Prices the items created in `month` (default: the last full month, workspace time zone) with the ' +
      'settings given, by channel, as the cost metrics would: recorded handling minutes, else the estimate.',
    body: costSettingsPreviewBody,
    response: costSettingsPreview,
    handler: async ({ body, ctx }) =>
      previewCostSettings(ctx.deps.db, requireAuth(ctx).workspaceId, nowOf(ctx.deps), body),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/cost-settings/:id',
    permission: 'costs.configure',
    tag: 'goals',
    summary: 'Delete a version that is not in force yet (409 once it has priced items)',
    description:
      'Only a scheduled version (effectiveFrom after today, workspace time zone) can be deleted; to change ' +
      'prices that already apply, add a new version.',
    params: idParams,
    status: 204,
    response: null,
    handler: async ({ params, ctx }) => {
      await deleteCostSettings(ctx, requireAuth(ctx), params.id);
    },
  }),
];
