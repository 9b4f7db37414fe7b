import type { Insertable } from 'kysely';
import { type AuditContext, type AuditEntry, auditRow } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/tables.ts';
import { newId } from '../../platform/ids.ts';
import { sendMailJob } from '../../platform/mail/outbox.ts';
import type { NewItemEvent } from '../items/events.ts';
import type { NewNotification } from '../notifications/notify.ts';

/** Rows per INSERT: well under the 65,535 bind parameters of the protocol for every table here. */
const rowsPerInsert = 1_000;

/**
 * The writes of one sweep batch, collected while the items are planned one by one and written
 * with a few multi-row INSERTs at the end of the batch (in its transaction). The rows are the
 * ones recordItemEvent, audit and notify (with queueMail) would write, in the same order: the
 * sweep of thousands of due items costs a handful of statements instead of several per item.
 */
export class SweepEffects {
  private readonly events: Insertable<Tables['item_events']>[] = [];
  private readonly audits: Insertable<Tables['audit_log']>[] = [];
  private readonly notifications: NewNotification[] = [];

  event(event: NewItemEvent): void {
    const actorId = event.actor.type === 'customer' ? event.actor.id : event.actor.userId;
    this.events.push({
      id: newId(),
      workspace_id: event.workspaceId,
      item_id: event.itemId,
      type: event.type,
      actor_type: event.actor.type as Insertable<Tables['item_events']>['actor_type'],
      actor_id: actorId,
      data: JSON.stringify(event.data ?? {}),
      ...(event.at ? { created_at: event.at } : {}),
    });
  }

  audit(context: AuditContext, entry: AuditEntry): void {
    this.audits.push(auditRow(context, entry));
  }

  notify(notification: NewNotification): void {
    this.notifications.push(notification);
  }

  /** Writes everything collected; returns the number of people notified. */
  async write(tx: Queryable): Promise<number> {
    await insertChunks(this.events, (rows) => tx.insertInto('item_events').values(rows).execute());
    await insertChunks(this.audits, (rows) => tx.insertInto('audit_log').values(rows).execute());
    return this.writeNotifications(tx);
  }

  /**
   * What notify() does for each notification (distinct recipients but the one who caused it,
   * active users of the workspace only; one in-app notification and one queued email each),
   * with one lookup of the recipients for the whole batch.
   */
  private async writeNotifications(tx: Queryable): Promise<number> {
    const wanted = new Set<string>();
    for (const notification of this.notifications) {
      for (const id of notification.userIds) wanted.add(id);
    }
    if (wanted.size === 0) return 0;
    const users = await tx
      .selectFrom('users')
      .select(['id', 'email', 'workspace_id'])
      .where('id', 'in', [...wanted])
      .where('status', '=', 'active')
      .execute();
    const active = new Map(users.map((user) => [user.id, user]));
    const inApp: Insertable<Tables['notifications']>[] = [];
    const mails: Insertable<Tables['outbox']>[] = [];
    const jobs: Insertable<Tables['jobs']>[] = [];
    for (const notification of this.notifications) {
      const ids = [...new Set(notification.userIds)].filter((id) => id !== notification.exceptUserId);
      for (const id of ids) {
        const user = active.get(id);
        if (!user || user.workspace_id !== notification.workspaceId) continue;
        inApp.push({
          id: newId(),
          workspace_id: notification.workspaceId,
          user_id: user.id,
          type: notification.type,
          item_id: notification.itemId ?? null,
          problem_id: notification.problemId ?? null,
          title: notification.title.slice(0, 500),
          body: (notification.body ?? '').slice(0, 5000),
        });
        const outboxId = newId();
        mails.push({
          id: outboxId,
          workspace_id: notification.workspaceId,
          to_address: user.email,
          subject: notification.title.slice(0, 500),
          text_body:
            [notification.body ?? '', notification.link ?? ''].filter(Boolean).join('\n\n') ||
            notification.title,
          html_body: null,
          status: 'queued',
          entity: 'notification',
          entity_id: notification.itemId ?? notification.problemId ?? null,
          reply_to: null,
          headers: null,
        });
        jobs.push({
          id: newId(),
          kind: sendMailJob,
          payload: JSON.stringify({ outboxId }),
          workspace_id: notification.workspaceId,
          status: 'queued',
          run_at: new Date(),
          max_attempts: 5,
        });
      }
    }
    await insertChunks(inApp, (rows) => tx.insertInto('notifications').values(rows).execute());
    await insertChunks(mails, (rows) => tx.insertInto('outbox').values(rows).execute());
    await insertChunks(jobs, (rows) => tx.insertInto('jobs').values(rows).execute());
    return inApp.length;
  }
}

async function insertChunks<Row>(rows: Row[], insert: (chunk: Row[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += rowsPerInsert) {
    await insert(rows.slice(start, start + rowsPerInsert));
  }
}
