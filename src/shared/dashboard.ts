import { z } from 'zod';

const metricName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,60}$/, 'must be a metric name from GET /api/v1/metrics');

/** The metrics shown first on a new dashboard, those of them that are in the catalogue. */
export const defaultDashboardMetrics = [
  'first_contact_resolution',
  'loop_closure_rate',
  'first_response_median_minutes',
  'sla_resolution_compliance',
  'escalation_rate',
  'self_service_share',
  'backlog_open',
  'total_service_cost',
] as const;

export const dashboardInput = z.strictObject({
  metrics: z
    .array(metricName)
    .max(24, 'a dashboard shows at most 24 metrics')
    .refine((names) => new Set(names).size === names.length, 'must not name a metric twice'),
});
export type DashboardInput = z.infer<typeof dashboardInput>;

export const dashboard = z.object({
  metrics: z.array(z.string()).describe('Metric names in the order shown.'),
  saved: z.boolean().describe('False while the user has not chosen: the defaults are shown.'),
  updatedAt: z.string().nullable(),
});
export type Dashboard = z.infer<typeof dashboard>;
