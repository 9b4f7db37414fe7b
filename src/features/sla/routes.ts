import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute, type Route } from '../../platform/http/route.ts';
import {
  businessHours,
  escalationRulesBody,
  escalationRulesView,
  slaPoliciesBody,
  slaPoliciesView,
  slaRecomputeResult,
} from '../../shared/listening-settings.ts';
import { teamRoutes } from '../teams/routes.ts';
import {
  getBusinessHours,
  getEscalationRules,
  getSlaPolicies,
  putBusinessHours,
  putEscalationRules,
  putSlaPolicies,
} from './service.ts';

const tag = 'sla';
const recomputeNote =
  ' Due times of open items are recomputed (in the request when there are up to 2,000, else in a background job).';

export const slaRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/sla-policies',
    permission: 'items.read',
    tag,
    summary: 'SLA targets per kind × priority, in business minutes (the built-in defaults until set)',
    response: slaPoliciesView,
    handler: async ({ ctx }) => getSlaPolicies(ctx.deps.db, requireAuth(ctx).workspaceId),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/sla-policies',
    permission: 'listening.configure',
    tag,
    summary: 'Replace all SLA policies',
    description:
      'A kind × priority without a policy has no SLA; a null target has none for that target. ' +
      'An empty list goes back to the built-in defaults (urgent 1h/8h, high 4h/24h, normal 8h/72h, low 24h/120h).' +
      recomputeNote,
    body: slaPoliciesBody,
    response: slaPoliciesView.extend(slaRecomputeResult.shape),
    handler: async ({ body, ctx }) => putSlaPolicies(ctx, requireAuth(ctx), body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/business-hours',
    permission: 'items.read',
    tag,
    summary: "The workspace's calendar: time zone, weekly opening hours, holidays, warning lead time",
    response: businessHours,
    handler: async ({ ctx }) => getBusinessHours(ctx.deps.db, requireAuth(ctx).workspaceId),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/business-hours',
    permission: 'listening.configure',
    tag,
    summary: "Set the workspace's calendar",
    description:
      'Intervals of a day must not overlap; end after start (24:00 for midnight). ' +
      'An empty schedule means around the clock; holidays are local dates and always closed.' +
      recomputeNote,
    body: businessHours,
    response: businessHours.extend(slaRecomputeResult.shape),
    handler: async ({ body, ctx }) => putBusinessHours(ctx, requireAuth(ctx), body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/escalation-rules',
    permission: 'items.read',
    tag,
    summary: 'Automatic escalation steps (the defaults until set)',
    response: escalationRulesView,
    handler: async ({ ctx }) => getEscalationRules(ctx.deps.db, requireAuth(ctx).workspaceId),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/escalation-rules',
    permission: 'listening.configure',
    tag,
    summary: 'Replace the automatic escalation steps',
    description:
      'Defaults: first-response breach → lead, resolution breach → manager, still open after 2× the ' +
      'resolution target → executive. An empty list goes back to the defaults.' +
      recomputeNote,
    body: escalationRulesBody,
    response: escalationRulesView.extend(slaRecomputeResult.shape),
    handler: async ({ body, ctx }) => putEscalationRules(ctx, requireAuth(ctx), body),
  }),
  ...teamRoutes,
];
