import type { z } from 'zod';
import { audit } from '../../platform/audit.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, actorOf, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import type { ItemStatus, replyInput } from '../../shared/listening.ts';
import { customersOf } from '../items/customers.ts';
import { recordItemEvent } from '../items/events.ts';
import { sendToCustomer } from '../items/send.ts';
import { refreshItemSla } from '../sla/refresh.ts';
import { getItemMessage } from './messages.ts';

export type ReplyInput = z.output<typeof replyInput>;

/** "Re: <subject> [#ref]": the ref lets staff and customers quote the item. */
export function replySubject(itemSubject: string, ref: string | number, given?: string): string {
  const tag = `[#${ref}]`;
  const base = given ?? (/^re:/i.test(itemSubject) ? itemSubject : `Re: ${itemSubject}`);
  const subject = base.includes(tag) ? base : `${base} ${tag}`;
  return subject.slice(0, 500);
}

/** Where an item goes after a staff reply: waiting on the customer when asked, else to work. */
function statusAfterReply(current: ItemStatus, waitOnCustomer: boolean): ItemStatus {
  if (waitOnCustomer) return 'waiting_on_customer';
  return current === 'new' || current === 'acknowledged' || current === 'reopened' ? 'in_progress' : current;
}

/**
 * Emails the item's customer (threaded under their last mail, with the item's reply address so
 * that the answer comes back here). The first reply is the first response of the SLA.
 */
export async function replyToCustomer(ctx: RequestContext, auth: Auth, itemId: string, input: ReplyInput) {
  const now = nowOf(ctx.deps);
  const messageId = await ctx.deps.db.transaction().execute(async (tx) => {
    const item = await tx
      .selectFrom('items')
      .selectAll()
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', itemId)
      .forUpdate()
      .executeTakeFirst();
    if (!item) throw notFound('The item');
    if (input.waitOnCustomer && (item.status === 'resolved' || item.status === 'closed')) {
      throw new AppError(
        'conflict',
        `The item is ${item.status}; reopen it before waiting on the customer (or send without waitOnCustomer).`,
      );
    }
    const customers = await customersOf(tx, auth.workspaceId, [item.id]);
    const customer = customers.find((entry) => entry.itemId === item.id);
    if (!customer?.email) {
      throw new AppError(
        'conflict',
        'No email address is known for the customer of this item, so a reply cannot be sent. ' +
          'Add an email to the person, or record the feedback you gave another way with /inform.',
      );
    }
    const lastInbound = await tx
      .selectFrom('item_messages')
      .select('message_id')
      .where('workspace_id', '=', auth.workspaceId)
      .where('item_id', '=', item.id)
      .where('kind', '=', 'inbound')
      .where('message_id', 'is not', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const subject = replySubject(item.subject, item.ref, input.subject);
    const id = await sendToCustomer(tx, ctx.deps.config, {
      workspaceId: auth.workspaceId,
      itemId: item.id,
      replyToken: item.reply_token,
      to: customer.email,
      personId: customer.personId,
      subject,
      body: input.body,
      authorUserId: auth.userId,
      inReplyTo: lastInbound?.message_id ?? null,
    });
    const status = statusAfterReply(item.status, input.waitOnCustomer);
    const firstResponse = item.first_responded_at === null;
    await tx
      .updateTable('items')
      .set((eb) => ({
        status,
        first_responded_at: item.first_responded_at ?? now,
        staff_reply_count: eb('staff_reply_count', '+', 1),
        updated_at: now,
        version: eb('version', '+', 1),
      }))
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', item.id)
      .execute();
    await recordItemEvent(tx, {
      workspaceId: auth.workspaceId,
      itemId: item.id,
      type: 'replied',
      actor: actorOf(auth),
      data: {
        messageId: id,
        to: customer.email,
        subject,
        ...(firstResponse ? { firstResponse: true } : {}),
        ...(status !== item.status ? { statusFrom: item.status, statusTo: status } : {}),
      },
      at: now,
    });
    await audit(tx, auditContext(ctx), {
      action: 'item.replied',
      entity: 'item',
      entityId: item.id,
      before: { status: item.status, firstRespondedAt: item.first_responded_at },
      after: { status, messageId: id, to: customer.email, subject },
    });
    await refreshItemSla(tx, auth.workspaceId, item.id, now);
    return id;
  });
  return getItemMessage(ctx.deps.db, auth.workspaceId, itemId, messageId);
}
