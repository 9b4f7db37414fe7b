import type { Db, Queryable } from '../../platform/db/database.ts';
import type { JobStatus, OutboxStatus } from '../../platform/db/tables.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { AuditEntry, Job, OutboxMessage } from '../../shared/admin.ts';

export async function listAudit(
  db: Db,
  workspaceId: string,
  filter: { entity?: string; entityId?: string; after?: string; limit: number },
) {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_id')
    .selectAll('audit_log')
    .select('users.name as actor_name')
    .where('audit_log.workspace_id', '=', workspaceId)
    .orderBy('audit_log.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.entity) query = query.where('audit_log.entity', '=', filter.entity);
  if (filter.entityId) query = query.where('audit_log.entity_id', '=', filter.entityId);
  if (filter.after) query = query.where('audit_log.id', '<', filter.after);
  return query.execute();
}

export function toAuditEntry(row: Awaited<ReturnType<typeof listAudit>>[number]): AuditEntry {
  return {
    id: row.id,
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    before: row.before,
    after: row.after,
    requestId: row.request_id,
    createdAt: row.created_at.toISOString(),
  };
}

export async function listOutbox(
  db: Db,
  workspaceId: string,
  filter: { status?: OutboxStatus; after?: string; limit: number },
) {
  let query = db
    .selectFrom('outbox')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.after) query = query.where('id', '<', filter.after);
  return query.execute();
}

export function toOutboxMessage(row: Awaited<ReturnType<typeof listOutbox>>[number]): OutboxMessage {
  return {
    id: row.id,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    status: row.status,
    error: row.error,
    entity: row.entity,
    entityId: row.entity_id,
    attempts: row.attempts,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
  };
}

/** Jobs of the workspace plus system-wide jobs (which carry no customer data). */
export async function listJobs(
  db: Db,
  workspaceId: string,
  filter: { status?: JobStatus; after?: string; limit: number },
) {
  let query = db
    .selectFrom('jobs')
    .selectAll()
    .where((eb) => eb.or([eb('workspace_id', '=', workspaceId), eb('workspace_id', 'is', null)]))
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.after) query = query.where('id', '<', filter.after);
  return query.execute();
}

export function toJob(row: Awaited<ReturnType<typeof listJobs>>[number]): Job {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lastError: row.last_error,
    runAt: row.run_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

/** Puts a failed job back in the queue with a fresh set of attempts. */
export async function retryJob(db: Queryable, workspaceId: string, id: string) {
  const job = await db
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', id)
    .where((eb) => eb.or([eb('workspace_id', '=', workspaceId), eb('workspace_id', 'is', null)]))
    .executeTakeFirst();
  if (!job) throw notFound('The job');
  if (job.status !== 'failed')
    throw new AppError('conflict', `Only failed jobs can be retried; this one is ${job.status}.`);
  const updated = await db
    .updateTable('jobs')
    .set({ status: 'queued', attempts: 0, run_at: new Date(), finished_at: null })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .returningAll()
    .executeTakeFirstOrThrow();
  return { before: toJob(job), after: toJob(updated) };
}
