import { z } from 'zod';
import { AppError, notFound } from '../../platform/errors.ts';
import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute } from '../../platform/http/route.ts';
import {
  metricBreakdown,
  metricBreakdownQuery,
  metricInfo,
  metricItemsQuery,
  metricItemsResponse,
  metricNameParams,
  metricQuery,
  metricSeries,
} from '../../shared/metrics.ts';
import { metricBreakdown as breakdownOf } from './breakdown.ts';
import { findMetric, metricCatalogue } from './catalogue.ts';
import { infoOf } from './definition.ts';
import { metricCsv, metricItems, runMetric } from './run.ts';

export const metricRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/metrics',
    permission: 'metrics.read',
    tag: 'goals',
    summary: 'The metric catalogue: every metric with its unit, which direction is better and its definition',
    response: z.object({ data: z.array(metricInfo) }),
    handler: async () => ({ data: metricCatalogue.map(infoOf) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/metrics/:name/items',
    permission: 'items.read',
    tag: 'goals',
    summary: 'The items behind a metric for a period (e.g. the bucket clicked on a chart), newest first',
    description:
      'Same period and filters as GET /api/v1/metrics/:name. For a ratio, `inNumerator` says whether the item ' +
      'counts towards the value (e.g. resolved at first contact); `value` is what the item adds when it is not 1 ' +
      '(its cost). Backlog metrics list the items open at the end of the period that meet their condition; ' +
      '`note` says what the list leaves out (e.g. knowledge-base answers, which are not items). A metric without ' +
      'an item list answers 409.',
    params: metricNameParams,
    query: metricItemsQuery,
    response: metricItemsResponse,
    handler: async ({ params, query, ctx }) => {
      const definition = findMetric(params.name);
      if (!definition) throw notFound(`The metric "${params.name}" (see GET /api/v1/metrics)`);
      const { limit, format: _format, ...rest } = query;
      const result = await metricItems(ctx.deps.db, requireAuth(ctx).workspaceId, definition, rest, limit);
      if (!result)
        throw new AppError(
          'conflict',
          `${definition.label} is not computed from single items; it has no item list.`,
        );
      return result;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/metrics/:name/breakdown',
    permission: 'metrics.read',
    tag: 'goals',
    summary: "A metric's total for a period once per value of a dimension (channel, kind, priority, team…)",
    description:
      'Same period and filters as GET /api/v1/metrics/:name; each row is the total with the filter narrowed to ' +
      'one value of `by` (null: items without a team, category or owner). The `limit` values with the most items ' +
      'in the scope are kept (`truncated` says whether others were left out), best value first; values with no ' +
      'data are left out.',
    params: metricNameParams,
    query: metricBreakdownQuery,
    response: metricBreakdown,
    handler: async ({ params, query, ctx }) => {
      const definition = findMetric(params.name);
      if (!definition) throw notFound(`The metric "${params.name}" (see GET /api/v1/metrics)`);
      return breakdownOf(ctx.deps.db, requireAuth(ctx).workspaceId, definition, query);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/metrics/:name',
    permission: 'metrics.read',
    tag: 'goals',
    summary:
      'One metric over a period, bucketed by day, week or month, with its total (format=csv to download)',
    description:
      'Buckets follow the workspace time zone (Settings → Listening → business hours). A bucket with nothing to ' +
      'divide by has `value: null` ("no data"). Filters narrow the items counted: kind, channel and priority take ' +
      'one value or a comma-separated list.',
    params: metricNameParams,
    query: metricQuery,
    response: metricSeries,
    handler: async ({ params, query, ctx, reply }) => {
      const definition = findMetric(params.name);
      if (!definition) throw notFound(`The metric "${params.name}" (see GET /api/v1/metrics)`);
      const { format, ...rest } = query;
      const series = await runMetric(ctx.deps.db, requireAuth(ctx).workspaceId, definition, rest);
      if (format === 'csv') {
        reply
          .type('text/csv; charset=utf-8')
          .header(
            'Content-Disposition',
            `attachment; filename="${params.name}-${query.from}-${query.to}.csv"`,
          );
        return metricCsv(series);
      }
      return series;
    },
  }),
];
