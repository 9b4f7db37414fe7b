import { z } from 'zod';
import { isoDate, pageQuery, uuid, versionField } from './common.ts';

export const problemStatuses = ['investigating', 'identified', 'fix_in_progress', 'fixed'] as const;
export type ProblemStatus = (typeof problemStatuses)[number];
export const problemStatus = z.enum(problemStatuses);
export const problemStatusLabels: Record<ProblemStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  fix_in_progress: 'Fix in progress',
  fixed: 'Fixed',
};

export const problemRecord = z.object({
  id: uuid,
  title: z.string(),
  hypothesis: z.string(),
  ownerId: uuid.nullable(),
  status: problemStatus,
  fixSummary: z.string().nullable(),
  fixedAt: isoDate.nullable(),
  itemCount: z.number().int(),
  openItemCount: z
    .number()
    .int()
    .describe('Linked items not closed yet (resolved ones count until they are closed).'),
  version: z.number().int(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type ProblemRecord = z.infer<typeof problemRecord>;

export const createProblemInput = z.strictObject({
  title: z.string().trim().min(1, 'Title is required.').max(300),
  hypothesis: z.string().trim().max(20_000).default(''),
  ownerId: uuid.optional(),
  itemIds: z.array(uuid).max(1000).default([]).describe('Items to link at once (e.g. a selection).'),
});
export const updateProblemInput = z.strictObject({
  title: z.string().trim().min(1).max(300).optional(),
  hypothesis: z.string().trim().max(20_000).optional(),
  ownerId: uuid.nullable().optional(),
  status: problemStatus.exclude(['fixed']).optional().describe('Use POST /fix to mark a problem fixed.'),
  version: versionField,
});
export const listProblemsQuery = pageQuery.extend({ status: problemStatus.optional() });
export const linkItemsInput = z.strictObject({ itemIds: z.array(uuid).min(1).max(1000) });
export const fixProblemInput = z.strictObject({
  summary: z.string().trim().min(1, 'Say what was fixed.').max(20_000),
  message: z
    .string()
    .trim()
    .min(1, 'Write the message the customers receive.')
    .max(20_000)
    .describe('Sent to every customer of every linked item; {{name}} and {{subject}} are filled in.'),
  thanks: z
    .boolean()
    .default(false)
    .describe(
      'The message also thanks the customers: record the thank-you on every item, so they can be closed.',
    ),
});

/** One observation key: how often each value occurs among linked items vs comparable unlinked ones. */
export const compareKey = z.object({
  key: z.string(),
  separation: z.number().describe('0..1: how strongly the key separates linked from unlinked items.'),
  linkedWithKey: z.number().int(),
  othersWithKey: z.number().int(),
  values: z.array(
    z.object({
      value: z.string(),
      linkedCount: z.number().int(),
      linkedShare: z.number(),
      othersCount: z.number().int(),
      othersShare: z.number(),
    }),
  ),
});
export const problemCompare = z.object({
  linkedItems: z.number().int(),
  comparableItems: z.number().int(),
  comparableScope: z.string().describe('Which unlinked items were compared, in words.'),
  keys: z.array(compareKey),
});
export type ProblemCompare = z.infer<typeof problemCompare>;

/** A customer of a fixed problem's items (merged items included), with the items they reported. */
export const fixedCustomer = z.object({
  personId: uuid.nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  itemIds: z.array(uuid),
});
export const problemFixOutcome = z.object({
  problem: problemRecord,
  informed: z.array(fixedCustomer).describe('Sent one personalised message each.'),
  withoutEmail: z.array(fixedCustomer).describe('No email known: inform them by hand.'),
});
export type ProblemFixOutcome = z.infer<typeof problemFixOutcome>;
export const closeProblemItemsInput = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .optional()
    .describe('Close every open linked item with this reason; without it only those informed and thanked.'),
});
export const closeProblemItemsOutcome = z.object({
  closed: z.number().int(),
  skipped: z
    .number()
    .int()
    .describe('Still open: not yet informed and thanked (give a reason to close them).'),
  skippedItemIds: z.array(uuid),
});
