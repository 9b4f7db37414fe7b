import { audit } from '../../platform/audit.ts';
import { auditContext, requireAuth } from '../../platform/http/context.ts';
import { checkCursor, toPage } from '../../platform/http/pagination.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { auditEntry, auditQuery, job, jobsQuery, outboxMessage, outboxQuery } from '../../shared/admin.ts';
import { idParams, page } from '../../shared/common.ts';
import {
  listAudit,
  listJobs,
  listOutbox,
  retryJob,
  toAuditEntry,
  toJob,
  toOutboxMessage,
} from './queries.ts';

export const adminRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit',
    permission: 'audit.read',
    tag: 'admin',
    summary: 'The audit log: every write with actor, before and after, newest first',
    query: auditQuery,
    response: page(auditEntry),
    handler: async ({ query, ctx }) => {
      const rows = await listAudit(ctx.deps.db, requireAuth(ctx).workspaceId, {
        ...query,
        after: checkCursor(query.after),
      });
      return toPage(rows, query.limit, toAuditEntry);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/outbox',
    permission: 'outbox.read',
    tag: 'admin',
    summary: 'Every outgoing email with its delivery status, newest first',
    query: outboxQuery,
    response: page(outboxMessage),
    handler: async ({ query, ctx }) => {
      const rows = await listOutbox(ctx.deps.db, requireAuth(ctx).workspaceId, {
        ...query,
        after: checkCursor(query.after),
      });
      return toPage(rows, query.limit, toOutboxMessage);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/jobs',
    permission: 'jobs.manage',
    tag: 'admin',
    summary: 'Background jobs (filter status=failed to see what needs attention)',
    query: jobsQuery,
    response: page(job),
    handler: async ({ query, ctx }) => {
      const rows = await listJobs(ctx.deps.db, requireAuth(ctx).workspaceId, {
        ...query,
        after: checkCursor(query.after),
      });
      return toPage(rows, query.limit, toJob);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/jobs/:id/retry',
    permission: 'jobs.manage',
    tag: 'admin',
    summary: 'Queue a failed job again',
    params: idParams,
    response: job,
    handler: async ({ params, ctx }) => {
      const auth = requireAuth(ctx);
      return ctx.deps.db.transaction().execute(async (tx) => {
        const { before, after } = await retryJob(tx, auth.workspaceId, params.id);
        await audit(tx, auditContext(ctx), {
          action: 'job.retried',
          entity: 'job',
          entityId: params.id,
          before,
          after,
        });
        return after;
      });
    },
  }),
];
