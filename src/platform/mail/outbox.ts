import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config.ts';
import type { Db, Queryable } from '../db/database.ts';
import { newId } from '../ids.ts';
import { enqueueJob, enqueueJobs } from '../jobs/queue.ts';

export interface OutgoingMail {
  workspaceId: string | null;
  to: string;
  subject: string;
  text: string;
  html?: string;
  entity?: string;
  entityId?: string;
  replyTo?: string;
  /** Extra headers such as Message-ID, In-Reply-To and References. */
  headers?: Record<string, string>;
}

export const sendMailJob = 'mail.send';
export const noSmtpMessage = 'not sent: no SMTP configured';

/** Records the message in the outbox and queues its delivery, in the caller's transaction. */
function outboxRow(mail: OutgoingMail) {
  return {
    id: newId(),
    workspace_id: mail.workspaceId,
    to_address: mail.to,
    subject: mail.subject,
    text_body: mail.text,
    html_body: mail.html ?? null,
    status: 'queued' as const,
    entity: mail.entity ?? null,
    entity_id: mail.entityId ?? null,
    reply_to: mail.replyTo ?? null,
    headers: mail.headers ? JSON.stringify(mail.headers) : null,
  };
}

export async function queueMail(tx: Queryable, mail: OutgoingMail): Promise<string> {
  const row = outboxRow(mail);
  await tx.insertInto('outbox').values(row).execute();
  await enqueueJob(tx, { kind: sendMailJob, payload: { outboxId: row.id }, workspaceId: mail.workspaceId });
  return row.id;
}

/** Queues several mails (and their send jobs) in two statements; returns their outbox ids in order. */
export async function queueMails(tx: Queryable, mails: OutgoingMail[]): Promise<string[]> {
  if (mails.length === 0) return [];
  const rows = mails.map(outboxRow);
  await tx.insertInto('outbox').values(rows).execute();
  await enqueueJobs(
    tx,
    rows.map((row) => ({ kind: sendMailJob, payload: { outboxId: row.id }, workspaceId: row.workspace_id })),
  );
  return rows.map((row) => row.id);
}

const transports = new Map<string, Transporter>();
function transportFor(url: string): Transporter {
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport(url);
    transports.set(url, transport);
  }
  return transport;
}

/**
 * Delivers one outbox message. Without SMTP_URL the message stays in the outbox, marked
 * "not sent". A delivery error is recorded and rethrown so that the job is retried; on the
 * last attempt the message is marked failed.
 */
export async function deliverOutboxMessage(
  db: Db,
  config: Config,
  outboxId: string,
  isLastAttempt: boolean,
): Promise<void> {
  const message = await db.selectFrom('outbox').selectAll().where('id', '=', outboxId).executeTakeFirst();
  if (!message || message.status === 'sent') return;
  if (!config.SMTP_URL) {
    await db
      .updateTable('outbox')
      .set({ status: 'not_sent', error: noSmtpMessage })
      .where('id', '=', outboxId)
      .execute();
    return;
  }
  try {
    await transportFor(config.SMTP_URL).sendMail({
      from: config.MAIL_FROM,
      to: message.to_address,
      subject: message.subject,
      text: message.text_body,
      ...(message.html_body ? { html: message.html_body } : {}),
      ...(message.reply_to ? { replyTo: message.reply_to } : {}),
      headers: {
        ...((message.headers as Record<string, string> | null) ?? {}),
        'X-Rapport-Outbox-Id': message.id,
      },
    });
    await db
      .updateTable('outbox')
      .set((eb) => ({ status: 'sent', error: null, sent_at: new Date(), attempts: eb('attempts', '+', 1) }))
      .where('id', '=', outboxId)
      .execute();
  } catch (error) {
    await db
      .updateTable('outbox')
      .set((eb) => ({
        status: isLastAttempt ? 'failed' : 'queued',
        error: (error as Error).message.slice(0, 1000),
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', outboxId)
      .execute();
    throw error;
  }
}

export function closeMailTransports() {
  for (const transport of transports.values()) transport.close();
  transports.clear();
}
