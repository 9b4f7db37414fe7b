import type { Db } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import { enqueueJob } from '../../platform/jobs/queue.ts';
import type { Recipient } from './recipients.ts';
import { withInboundMail } from './schema.ts';

export const inboundMailJob = 'mail.inbound';

export interface ReceivedMessage {
  mailFrom: string;
  recipients: readonly Recipient[];
  raw: Buffer;
}

/**
 * Stores a received message once per workspace it reaches, each with its processing job, in
 * one transaction: when this returns the message is safe and may be acknowledged.
 */
export async function storeInboundMail(db: Db, message: ReceivedMessage): Promise<string[]> {
  const byWorkspace = new Map<string, string[]>();
  for (const recipient of message.recipients) {
    const addresses = byWorkspace.get(recipient.workspaceId) ?? [];
    if (!addresses.includes(recipient.address)) addresses.push(recipient.address);
    byWorkspace.set(recipient.workspaceId, addresses);
  }
  return db.transaction().execute(async (tx) => {
    const ids: string[] = [];
    for (const [workspaceId, rcptTo] of byWorkspace) {
      const id = newId();
      await withInboundMail(tx)
        .insertInto('inbound_mail')
        .values({
          id,
          workspace_id: workspaceId,
          mail_from: message.mailFrom.slice(0, 1000),
          rcpt_to: rcptTo,
          raw: message.raw,
          size_bytes: message.raw.length,
        })
        .execute();
      await enqueueJob(tx, { kind: inboundMailJob, payload: { inboundMailId: id }, workspaceId });
      ids.push(id);
    }
    return ids;
  });
}
