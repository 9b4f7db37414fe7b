import { z } from 'zod';
import { uuid } from './common.ts';
import { itemChannel, itemKind, priority } from './listening.ts';

export const metricUnits = ['percent', 'minutes', 'count', 'currency'] as const;
export type MetricUnit = (typeof metricUnits)[number];

export const metricIntervals = ['day', 'week', 'month'] as const;
export type MetricInterval = (typeof metricIntervals)[number];

/** `?kind=complaint,request` or `?kind=complaint&kind=request`: one or several values. */
function listOf<T extends z.ZodType>(item: T) {
  return z
    .preprocess(
      (value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value),
      z.array(item).min(1).max(20),
    )
    .optional();
}

const localDate = z.iso.date({ message: 'must be a date such as 2026-01-31' });

/** Which items a metric counts: every filter narrows; lists mean "any of". */
export const metricFilter = z.strictObject({
  kind: listOf(itemKind),
  channel: listOf(itemChannel),
  priority: listOf(priority),
  categoryId: uuid.optional(),
  teamId: uuid.optional(),
  ownerId: uuid.optional(),
  organizationId: uuid.optional(),
  tag: z.string().trim().min(1).max(50).optional(),
});
export type MetricFilter = z.infer<typeof metricFilter>;

export const metricQuery = metricFilter
  .extend({
    from: localDate.describe('First day of the period (in the workspace time zone).'),
    to: localDate.describe('Last day of the period, included.'),
    interval: z.enum(metricIntervals).default('week'),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((query) => query.from <= query.to, { path: ['to'], message: 'must be on or after `from`.' })
  .refine((query) => Date.parse(query.to) - Date.parse(query.from) <= 5 * 366 * 86_400_000, {
    path: ['to'],
    message: 'the period may span at most five years.',
  });
export type MetricQuery = z.infer<typeof metricQuery>;

export const metricItemsQuery = metricFilter
  .extend({
    from: localDate,
    to: localDate,
    interval: z.enum(metricIntervals).default('week'),
    format: z.enum(['json']).default('json'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .refine((query) => query.from <= query.to, { path: ['to'], message: 'must be on or after `from`.' });

export const metricItem = z.object({
  id: uuid,
  ref: z.number().int(),
  subject: z.string(),
  kind: z.string(),
  status: z.string(),
  at: z
    .string()
    .describe('The instant that puts the item in the period (e.g. resolved_at, or when it was informed).'),
  inNumerator: z.boolean().nullable(),
  value: z
    .number()
    .nullable()
    .optional()
    .describe("What the item adds to the number, when it is not 1 (e.g. an item's service cost)."),
});
export type MetricItem = z.infer<typeof metricItem>;

export const metricItemsResponse = z.object({
  data: z.array(metricItem),
  note: z
    .string()
    .nullable()
    .describe('What the list leaves out, e.g. knowledge-base answers, which count but are not items.'),
});
export type MetricItemsResponse = z.infer<typeof metricItemsResponse>;

/** The dimensions a metric can be broken down by: each is a filter of the items. */
export const breakdownDimensions = ['channel', 'kind', 'priority', 'team', 'category', 'owner'] as const;
export type BreakdownDimension = (typeof breakdownDimensions)[number];

export const metricBreakdownQuery = metricFilter
  .extend({
    by: z.enum(breakdownDimensions).describe('The dimension whose values split the items.'),
    from: localDate.describe('First day of the period (in the workspace time zone).'),
    to: localDate.describe('Last day of the period, included.'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(50)
      .default(12)
      .describe('At most this many values: the ones with the most items.'),
  })
  .refine((query) => query.from <= query.to, { path: ['to'], message: 'must be on or after `from`.' })
  .refine((query) => Date.parse(query.to) - Date.parse(query.from) <= 5 * 366 * 86_400_000, {
    path: ['to'],
    message: 'the period may span at most five years.',
  });
export type MetricBreakdownQuery = z.infer<typeof metricBreakdownQuery>;

export const metricInfo = z.object({
  name: z.string(),
  label: z.string(),
  unit: z.enum(metricUnits),
  better: z.enum(['up', 'down']),
  description: z.string().describe('The precise definition, as shown in the UI tooltip.'),
});
export type MetricInfo = z.infer<typeof metricInfo>;

export const metricPoint = z.object({
  start: z.string().describe('First day of the bucket (YYYY-MM-DD, workspace time zone).'),
  value: z.number().nullable().describe('Null when there is no data (e.g. nothing to divide by).'),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
});
export type MetricPoint = z.infer<typeof metricPoint>;

export const metricSeries = z.object({
  metric: metricInfo,
  from: z.string(),
  to: z.string(),
  interval: z.enum(metricIntervals),
  timeZone: z.string(),
  series: z.array(metricPoint),
  total: metricPoint.omit({ start: true }),
});
export type MetricSeries = z.infer<typeof metricSeries>;

export const metricNameParams = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{1,60}$/, 'must be a metric name such as first_contact_resolution'),
});

export const breakdownRow = z.object({
  value: z
    .string()
    .nullable()
    .describe('The filter value (a channel, or a team id…); null for items without one (no team, no owner).'),
  label: z.string(),
  total: metricPoint.omit({ start: true }),
});
export type BreakdownRow = z.infer<typeof breakdownRow>;

export const metricBreakdown = z.object({
  metric: metricInfo,
  by: z.enum(breakdownDimensions),
  from: z.string(),
  to: z.string(),
  data: z.array(breakdownRow).describe('Best value first; values with no data are left out.'),
  truncated: z
    .boolean()
    .describe('True when more values had items than `limit`: the smaller ones are left out.'),
});
export type MetricBreakdown = z.infer<typeof metricBreakdown>;
