import { z } from 'zod';
import { uuid, versionField } from './common.ts';
import { metricFilter, metricInfo, metricPoint } from './metrics.ts';

export const goalStatuses = ['on_track', 'at_risk', 'off_track', 'achieved', 'missed'] as const;
export type GoalStatus = (typeof goalStatuses)[number];
export const goalStatusLabels: Record<GoalStatus, string> = {
  on_track: 'On track',
  at_risk: 'At risk',
  off_track: 'Off track',
  achieved: 'Achieved',
  missed: 'Missed',
};

const localDate = z.iso.date({ message: 'must be a date such as 2026-01-31' });

/**
 * A target on one metric. `absolute`: reach this value (60 for "≥ 60%"; for a metric where lower
 * is better, "≤"). `relative`: change the baseline by this percentage (−40 for "−40%").
 */
export const goalTargetValue = z.strictObject({
  type: z.enum(['absolute', 'relative']),
  value: z.number().min(-100, 'a relative target cannot go below −100%').max(1_000_000_000),
});
export type GoalTargetValue = z.infer<typeof goalTargetValue>;

export const goalTarget = z
  .strictObject({
    metric: z.string().regex(/^[a-z][a-z0-9_]{1,60}$/, 'must be a metric name from GET /api/v1/metrics'),
    filter: metricFilter.default({}),
    baselineFrom: localDate.describe('First day of the baseline period.'),
    baselineTo: localDate.describe('Last day of the baseline period (included).'),
    target: goalTargetValue,
  })
  .refine((target) => target.baselineFrom <= target.baselineTo, {
    path: ['baselineTo'],
    message: 'must be on or after baselineFrom.',
  });
export type GoalTarget = z.infer<typeof goalTarget>;

export const milestone = z.strictObject({
  date: localDate,
  title: z.string().trim().min(1).max(200),
});

const goalFields = {
  title: z.string().trim().min(1, 'Give the goal a title.').max(300),
  description: z.string().trim().max(5000).nullable().optional(),
  ownerId: uuid.nullable().optional(),
  targets: z.array(goalTarget).min(1, 'A goal needs at least one metric target.').max(10),
  startDate: localDate,
  deadline: localDate,
  milestones: z.array(milestone).max(20).default([]),
  template: z.string().max(100).nullable().optional(),
};

export const createGoalInput = z.strictObject(goalFields).refine((goal) => goal.startDate < goal.deadline, {
  path: ['deadline'],
  message: 'must be after startDate.',
});
export type CreateGoalInput = z.infer<typeof createGoalInput>;

export const updateGoalInput = z.strictObject({
  title: goalFields.title.optional(),
  description: goalFields.description,
  ownerId: goalFields.ownerId,
  targets: goalFields.targets.optional(),
  startDate: localDate.optional(),
  deadline: localDate.optional(),
  milestones: z.array(milestone).max(20).optional(),
  version: versionField,
});
export type UpdateGoalInput = z.infer<typeof updateGoalInput>;

export const goal = z.object({
  id: uuid,
  title: z.string(),
  description: z.string().nullable(),
  ownerId: uuid.nullable(),
  ownerName: z.string().nullable(),
  targets: z.array(goalTarget),
  startDate: z.string(),
  deadline: z.string(),
  milestones: z.array(milestone),
  template: z.string().nullable(),
  status: z
    .enum(goalStatuses)
    .nullable()
    .describe('As last evaluated; GET /goals/:id/progress evaluates now.'),
  statusChangedAt: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Goal = z.infer<typeof goal>;

export const targetProgress = z.object({
  metric: metricInfo,
  filter: metricFilter,
  baseline: z.object({
    value: z.number().nullable(),
    from: z.string(),
    to: z.string(),
    how: z.string().describe('How the baseline was computed, in words.'),
  }),
  targetValue: z.number().nullable().describe('The value to reach; null while the baseline has no data.'),
  targetText: z.string().describe('The target as written, e.g. "−40% from 120" or "≥ 60%".'),
  current: z.object({ value: z.number().nullable(), from: z.string(), to: z.string() }),
  progress: z.number().nullable().describe('0 at the baseline, 1 at the target.'),
  met: z.boolean().nullable(),
  forecast: z
    .object({
      method: z.string(),
      valueAtDeadline: z.number(),
      low: z.number(),
      high: z.number(),
      points: z.array(z.object({ start: z.string(), value: z.number(), low: z.number(), high: z.number() })),
    })
    .nullable(),
  series: z.array(metricPoint),
  status: z.enum(goalStatuses),
});
export type TargetProgress = z.infer<typeof targetProgress>;

export const goalProgress = z.object({
  goal,
  status: z.enum(goalStatuses),
  evaluatedOn: z.string(),
  targets: z.array(targetProgress),
});
export type GoalProgress = z.infer<typeof goalProgress>;

export const goalListQuery = z.strictObject({
  status: z.enum(goalStatuses).optional(),
  ownerId: uuid.optional(),
  after: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
