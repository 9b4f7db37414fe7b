import { z } from 'zod';
import { isoDate, pageQuery, uuid } from './common.ts';

export const auditQuery = pageQuery.extend({
  entity: z.string().max(100).optional(),
  entityId: z.string().max(100).optional(),
});
export const auditEntry = z.object({
  id: uuid,
  actorType: z.enum(['user', 'token', 'system', 'anonymous', 'customer']),
  actorId: uuid.nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  createdAt: isoDate,
});
export type AuditEntry = z.infer<typeof auditEntry>;

export const outboxStatus = z.enum(['queued', 'sent', 'not_sent', 'failed']);
export const outboxQuery = pageQuery.extend({ status: outboxStatus.optional() });
export const outboxMessage = z.object({
  id: uuid,
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  status: outboxStatus,
  error: z.string().nullable(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: isoDate,
  sentAt: isoDate.nullable(),
});
export type OutboxMessage = z.infer<typeof outboxMessage>;

export const jobStatus = z.enum(['queued', 'running', 'done', 'failed']);
export const jobsQuery = pageQuery.extend({ status: jobStatus.optional() });
export const job = z.object({
  id: uuid,
  kind: z.string(),
  status: jobStatus,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  lastError: z.string().nullable(),
  runAt: isoDate,
  createdAt: isoDate,
  finishedAt: isoDate.nullable(),
});
export type Job = z.infer<typeof job>;
