import { z } from 'zod';
import { isoDate, pageQuery, uuid } from './common.ts';
import { erasureStatus } from './portal.ts';

// ---- Customer side ------------------------------------------------------------------------------

export const erasureRequestInput = z.strictObject({
  reason: z
    .string()
    .trim()
    .max(2000, 'Reason must be at most 2000 characters long.')
    .optional()
    .transform((value) => (value ? value : undefined))
    .describe('Optional: why you want to be erased. Staff read it; it is erased with the rest.'),
});
export type ErasureRequestInput = z.input<typeof erasureRequestInput>;

/** A customer's erasure request as they see it. */
export const customerErasureRequest = z.object({
  id: uuid,
  status: erasureStatus,
  requestedAt: isoDate,
  dueAt: isoDate,
  decidedAt: isoDate.nullable(),
  /** Why staff refused (told to the customer); null otherwise. */
  decisionNote: z.string().nullable(),
  completedAt: isoDate.nullable(),
});
export type CustomerErasureRequest = z.infer<typeof customerErasureRequest>;

export const customerErasureList = z.object({ data: z.array(customerErasureRequest) });

// ---- Staff side ---------------------------------------------------------------------------------

export const erasureListQuery = pageQuery.extend({
  status: erasureStatus.optional().describe('Only requests in this status.'),
});
export type ErasureListQuery = z.infer<typeof erasureListQuery>;

export const erasureRequestRow = z.object({
  id: uuid,
  personId: uuid.nullable(),
  /** The person's name until the erasure is done; then null. */
  personName: z.string().nullable(),
  status: erasureStatus,
  reason: z.string().nullable(),
  requestedAt: isoDate,
  dueAt: isoDate,
  /** Still open past its due date. */
  overdue: z.boolean(),
  decidedBy: uuid.nullable(),
  decidedAt: isoDate.nullable(),
  decisionNote: z.string().nullable(),
  completedAt: isoDate.nullable(),
});
export type ErasureRequestRow = z.infer<typeof erasureRequestRow>;

export const approveErasureInput = z.strictObject({
  note: z.string().trim().max(2000, 'Note must be at most 2000 characters long.').optional(),
});
export type ApproveErasureInput = z.input<typeof approveErasureInput>;

export const rejectErasureInput = z.strictObject({
  note: z
    .string({ message: 'Note is required: say why, it is sent to the customer.' })
    .trim()
    .min(1, 'Note is required: say why, it is sent to the customer.')
    .max(2000, 'Note must be at most 2000 characters long.'),
});
export type RejectErasureInput = z.input<typeof rejectErasureInput>;
