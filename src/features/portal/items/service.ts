import { sql } from 'kysely';
import type { z } from 'zod';
import { type Actor, audit } from '../../../platform/audit.ts';
import type { CustomerAuth } from '../../../platform/auth/portal-sessions.ts';
import { publicUrl } from '../../../platform/config.ts';
import type { Queryable } from '../../../platform/db/database.ts';
import { AppError } from '../../../platform/errors.ts';
import { customerAuditContext, nowOf, type RequestContext } from '../../../platform/http/context.ts';
import { newId } from '../../../platform/ids.ts';
import {
  isFinished,
  type PortalItem,
  type portalItemInput,
  type portalMessageInput,
  type portalRatingInput,
} from '../../../shared/portal-items.ts';
import { createItemRecord } from '../../items/create.ts';
import { recordItemEvent } from '../../items/events.ts';
import { resumeOnCustomerAnswer } from '../../items/reopen.ts';
import { notify } from '../../notifications/notify.ts';
import { ensurePerson, findPersonByEmail, limitSubmissions, notYours } from '../customer.ts';
import { findOwnItem, type OwnItemRow, toPortalItem } from './queries.ts';

/** The same subject and details again within this time is a double submit, not a new item. */
export const duplicateSeconds = 10;

const customerActor = (personId: string): Actor => ({ type: 'customer', id: personId, userId: null });

/** The customer's person id without creating a record: reading needs none. */
export async function personOf(db: Queryable, customer: CustomerAuth): Promise<string | null> {
  if (customer.personId) return customer.personId;
  return (await findPersonByEmail(db, customer.workspaceId, customer.email))?.id ?? null;
}

/** One customer's writes run one at a time, so a double click cannot slip past the duplicate check. */
async function lockCustomer(tx: Queryable, customer: CustomerAuth) {
  const key = `portal-items:${customer.workspaceId}:${customer.email}`;
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
}

export async function getOwnItem(ctx: RequestContext, customer: CustomerAuth, itemId: string) {
  const db = ctx.deps.db;
  const personId = await personOf(db, customer);
  const row = personId ? await findOwnItem(db, customer.workspaceId, personId, itemId) : null;
  if (!row || !personId) throw notYours('The item');
  return toPortalItem(db, customer.workspaceId, personId, row);
}

/**
 * A customer's submission becomes an item (channel portal) with the normal acknowledgement.
 * The first submission creates their record (a prospect). An identical submission within
 * `duplicateSeconds` is refused with 409: the first one was received.
 */
export async function submitItem(
  ctx: RequestContext,
  customer: CustomerAuth,
  input: z.output<typeof portalItemInput>,
): Promise<PortalItem> {
  const now = nowOf(ctx.deps);
  return ctx.deps.db.transaction().execute(async (tx) => {
    await lockCustomer(tx, customer);
    const personId = await ensurePerson(tx, ctx, customer);
    const twin = await tx
      .selectFrom('items')
      .select('ref')
      .where('workspace_id', '=', customer.workspaceId)
      .where('person_id', '=', personId)
      .where('channel', '=', 'portal')
      .where('subject', '=', input.subject)
      .where('body', '=', input.body)
      .where('created_at', '>', new Date(now.getTime() - duplicateSeconds * 1000))
      .executeTakeFirst();
    if (twin) {
      throw new AppError(
        'conflict',
        `We already received this a moment ago as #${twin.ref}; there is no need to send it again.`,
      );
    }
    await limitSubmissions(tx, ctx, customer);
    const row = await createItemRecord(tx, ctx.deps, {
      workspaceId: customer.workspaceId,
      actor: customerActor(personId),
      requestId: ctx.requestId,
      now,
      input: {
        kind: input.kind,
        channel: 'portal',
        subject: input.subject,
        body: input.body,
        personId,
        reporterEmail: customer.email,
        priority: 'normal',
        tags: [],
        observations: [],
        acknowledge: true,
      },
    });
    const own = await findOwnItem(tx, customer.workspaceId, personId, row.id);
    return toPortalItem(tx, customer.workspaceId, personId, own!);
  });
}

/**
 * The customer replies in an item's conversation. On a duplicate merged into another item the
 * reply goes to that item, where the conversation continues (as with answers by email).
 */
export async function postMessage(
  ctx: RequestContext,
  customer: CustomerAuth,
  itemId: string,
  input: z.output<typeof portalMessageInput>,
): Promise<PortalItem> {
  const now = nowOf(ctx.deps);
  const config = ctx.deps.config;
  return ctx.deps.db.transaction().execute(async (tx) => {
    await lockCustomer(tx, customer);
    const personId = await personOf(tx, customer);
    const own = personId ? await findOwnItem(tx, customer.workspaceId, personId, itemId) : null;
    if (!own || !personId) throw notYours('The item');
    await limitSubmissions(tx, ctx, customer);
    const target = await tx
      .selectFrom('items')
      .selectAll()
      .where('workspace_id', '=', customer.workspaceId)
      .where('id', '=', own.merged_into_id ?? own.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const messageId = newId();
    await tx
      .insertInto('item_messages')
      .values({
        id: messageId,
        workspace_id: customer.workspaceId,
        item_id: target.id,
        kind: 'inbound',
        via: 'portal',
        author_user_id: null,
        person_id: personId,
        from_address: customer.email,
        subject: null,
        body_text: input.body,
        created_at: now,
      })
      .execute();
    const actor = customerActor(personId);
    await recordItemEvent(tx, {
      workspaceId: customer.workspaceId,
      itemId: target.id,
      type: 'customer_replied',
      actor,
      data: { messageId, from: customer.email, via: 'portal' },
      at: now,
    });
    const status = await resumeOnCustomerAnswer(
      tx,
      target,
      actor,
      'The customer answered in the portal.',
      now,
    );
    await audit(tx, customerAuditContext(ctx, customer, personId), {
      action: 'item.customer_replied',
      entity: 'item',
      entityId: target.id,
      before: { status: target.status },
      after: { status, messageId, from: customer.email, via: 'portal' },
    });
    if (target.owner_id) {
      const person = await tx
        .selectFrom('people')
        .select('display_name')
        .where('workspace_id', '=', customer.workspaceId)
        .where('id', '=', personId)
        .executeTakeFirst();
      await notify(tx, {
        workspaceId: customer.workspaceId,
        userIds: [target.owner_id],
        type: 'customer_reply',
        itemId: target.id,
        title:
          `${person?.display_name ?? customer.email} replied in the portal on #${target.ref}: ${target.subject}`.slice(
            0,
            500,
          ),
        body: input.body.slice(0, 1000),
        link: `${publicUrl(config)}/items/${target.id}`,
      });
    }
    const reread = await findOwnItem(tx, customer.workspaceId, personId, own.id);
    return toPortalItem(tx, customer.workspaceId, personId, reread!);
  });
}

/**
 * The customer rates how their item was handled, once it is resolved or closed (for a merged
 * duplicate: once the item it was merged into is). They may change the rating later.
 */
export async function rateItem(
  ctx: RequestContext,
  customer: CustomerAuth,
  itemId: string,
  input: z.output<typeof portalRatingInput>,
): Promise<PortalItem> {
  const now = nowOf(ctx.deps);
  return ctx.deps.db.transaction().execute(async (tx) => {
    await lockCustomer(tx, customer);
    const personId = await personOf(tx, customer);
    const own: OwnItemRow | null = personId
      ? await findOwnItem(tx, customer.workspaceId, personId, itemId)
      : null;
    if (!own || !personId) throw notYours('The item');
    const status = own.merged_into_id && own.s_status ? own.s_status : own.status;
    if (!isFinished(status)) {
      throw new AppError(
        'conflict',
        'You can rate how this was handled once it is resolved. We will let you know when it is.',
      );
    }
    await limitSubmissions(tx, ctx, customer);
    const comment = input.comment ? input.comment : null;
    await tx
      .updateTable('items')
      .set({ rating: input.rating, rating_comment: comment, rated_at: now })
      .where('workspace_id', '=', customer.workspaceId)
      .where('id', '=', own.id)
      .execute();
    const actor = customerActor(personId);
    await recordItemEvent(tx, {
      workspaceId: customer.workspaceId,
      itemId: own.id,
      type: 'rated',
      actor,
      data: {
        rating: input.rating,
        ...(comment ? { comment } : {}),
        ...(own.rating ? { previous: own.rating } : {}),
      },
      at: now,
    });
    await audit(tx, customerAuditContext(ctx, customer, personId), {
      action: 'item.rated',
      entity: 'item',
      entityId: own.id,
      before: { rating: own.rating, comment: own.rating_comment },
      after: { rating: input.rating, comment },
    });
    const reread = await findOwnItem(tx, customer.workspaceId, personId, own.id);
    return toPortalItem(tx, customer.workspaceId, personId, reread!);
  });
}
