import { z } from 'zod';
import { nowOf, requireAuth } from '../../platform/http/context.ts';
import { checkCursor, toPage } from '../../platform/http/pagination.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { idParams, page } from '../../shared/common.ts';
import { createGoalInput, goal, goalListQuery, goalProgress, updateGoalInput } from '../../shared/goals.ts';
import { findMetric } from '../metrics/catalogue.ts';
import { workspaceTimeZone } from '../metrics/run.ts';
import { requestedVersion } from '../people/precondition.ts';
import { localToday } from './dates.ts';
import { listGoals, toGoal } from './queries.ts';
import { createGoal, deleteGoal, getGoal, goalProgressOf, updateGoal } from './service.ts';
import { goalTemplates } from './templates.ts';

const tag = 'goals';

export const goalRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/goals',
    permission: 'metrics.read',
    tag,
    summary: 'Goals, newest first, with the status last evaluated',
    query: goalListQuery,
    response: page(goal),
    handler: async ({ query, ctx }) => {
      const rows = await listGoals(ctx.deps.db, requireAuth(ctx).workspaceId, {
        ...query,
        after: checkCursor(query.after),
      });
      return toPage(rows, query.limit, toGoal);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/goals',
    permission: 'goals.write',
    tag,
    summary: 'Create a goal: one metric target, or several that must all hold',
    description:
      'Each target names a metric (GET /api/v1/metrics), the filter that scopes it, the baseline period and the ' +
      'target: absolute (`{type: "absolute", value: 60}` = "≥ 60%" for a metric where up is better) or relative ' +
      '(`{type: "relative", value: -40}` = "−40% from the baseline"). The owner defaults to the caller.',
    body: createGoalInput,
    status: 201,
    response: goal,
    handler: async ({ body, ctx }) => createGoal(ctx, requireAuth(ctx), body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/goal-templates',
    permission: 'metrics.read',
    tag,
    summary: 'The goal template gallery, with baselines and deadlines filled in from today',
    response: z.object({
      data: z.array(z.object({ id: z.string(), title: z.string(), why: z.string(), goal: createGoalInput })),
    }),
    handler: async ({ ctx }) => {
      const auth = requireAuth(ctx);
      const today = localToday(nowOf(ctx.deps), await workspaceTimeZone(ctx.deps.db, auth.workspaceId));
      // A template whose metrics are not all in the catalogue is left out rather than offered broken.
      const data = goalTemplates(today).filter((template) =>
        template.goal.targets.every((target) => findMetric(target.metric)),
      );
      return { data };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/goals/:id',
    permission: 'metrics.read',
    tag,
    summary: 'One goal',
    params: idParams,
    response: goal,
    handler: async ({ params, ctx }) => getGoal(ctx, requireAuth(ctx), params.id),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/goals/:id/progress',
    permission: 'metrics.read',
    tag,
    summary: 'Where a goal stands: baseline, target, current value, progress, trend with forecast, status',
    description:
      'Evaluated now, as of today in the workspace time zone. The current value is the metric over a window as long ' +
      'as the baseline period, ending today. The forecast is a least-squares line through the weekly values since ' +
      'the start, extended to the deadline.',
    params: idParams,
    response: goalProgress,
    handler: async ({ params, ctx }) => goalProgressOf(ctx, requireAuth(ctx), params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/goals/:id',
    permission: 'goals.write',
    tag,
    summary: 'Change a goal (send the version you read; 409 when someone changed it since)',
    params: idParams,
    body: updateGoalInput,
    response: goal,
    handler: async ({ params, body, ctx, request }) => {
      const { version: bodyVersion, ...fields } = body;
      const version = requestedVersion(request, bodyVersion, true)!;
      return updateGoal(ctx, requireAuth(ctx), params.id, fields, version);
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/goals/:id',
    permission: 'goals.write',
    tag,
    summary: 'Delete a goal',
    params: idParams,
    status: 204,
    response: null,
    handler: async ({ params, ctx }) => deleteGoal(ctx, requireAuth(ctx), params.id),
  }),
];
