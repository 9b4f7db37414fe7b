import type { Queryable } from './db/database.ts';
import { newId } from './ids.ts';
import { redactSecrets } from './redact.ts';

export type Actor =
  | { type: 'user' | 'token'; id: string; userId: string }
  | { type: 'system'; id: null; userId: null }
  | { type: 'anonymous'; id: null; userId: null }
  /** A customer acting through the portal; id is their person id (null before they have a record). */
  | { type: 'customer'; id: string | null; userId: null };

export const systemActor: Actor = { type: 'system', id: null, userId: null };
export const anonymousActor: Actor = { type: 'anonymous', id: null, userId: null };

export interface AuditContext {
  actor: Actor;
  workspaceId: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** The audit_log row of one write (for writers that insert many rows at once). */
export function auditRow(context: AuditContext, entry: AuditEntry) {
  return {
    id: newId(),
    workspace_id: context.workspaceId,
    actor_type: context.actor.type,
    actor_id: context.actor.type === 'customer' ? context.actor.id : context.actor.userId,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId ?? null,
    before: entry.before === undefined ? null : JSON.stringify(redactSecrets(entry.before)),
    after: entry.after === undefined ? null : JSON.stringify(redactSecrets(entry.after)),
    request_id: context.requestId,
  };
}

/** Records a write. Call it with the transaction that made the write. */
export async function audit(tx: Queryable, context: AuditContext, entry: AuditEntry): Promise<void> {
  await tx.insertInto('audit_log').values(auditRow(context, entry)).execute();
}

/** Records several writes (each with its own actor and request) in one statement. */
export async function auditMany(
  tx: Queryable,
  entries: { context: AuditContext; entry: AuditEntry }[],
): Promise<void> {
  if (entries.length === 0) return;
  await tx
    .insertInto('audit_log')
    .values(entries.map(({ context, entry }) => auditRow(context, entry)))
    .execute();
}
