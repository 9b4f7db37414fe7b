import { audit } from '../../../platform/audit.ts';
import type { CustomerAuth } from '../../../platform/auth/portal-sessions.ts';
import type { Tx } from '../../../platform/db/database.ts';
import { customerAuditContext, nowOf, type RequestContext } from '../../../platform/http/context.ts';
import { newId } from '../../../platform/ids.ts';
import type { SuggestionComment, VoteResult } from '../../../shared/portal-suggestions.ts';
import { recordItemEvent } from '../../items/events.ts';
import { recountVotes } from '../../items/votes.ts';
import { ensurePerson, limitSubmissions, notYours } from '../customer.ts';
import { requirePart, resolvePortal } from '../site.ts';
import { toComment } from './board.ts';

/**
 * Locks a suggestion that is on the customer's board, so that its vote count moves in step with
 * its votes; anything else (not on the board, merged, another workspace) is 404.
 */
async function lockBoardSuggestion(tx: Tx, workspaceId: string, id: string) {
  const row = await tx
    .selectFrom('items')
    .select(['id', 'ref'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('kind', '=', 'suggestion')
    .where('board_status', 'is not', null)
    .where('merged_into_id', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notYours('The suggestion');
  return row;
}

async function customerBoard(ctx: RequestContext) {
  const portal = await resolvePortal(ctx, undefined);
  requirePart(portal, 'suggestions');
  return portal;
}

/** Votes for a board suggestion; voting again keeps the one vote (idempotent). */
export async function voteFor(
  ctx: RequestContext,
  customer: CustomerAuth,
  itemId: string,
): Promise<VoteResult> {
  await customerBoard(ctx);
  return ctx.deps.db.transaction().execute(async (tx) => {
    await lockBoardSuggestion(tx, customer.workspaceId, itemId);
    const personId = await ensurePerson(tx, ctx, customer);
    const now = nowOf(ctx.deps);
    const inserted = await tx
      .insertInto('item_votes')
      .values({
        id: newId(),
        workspace_id: customer.workspaceId,
        item_id: itemId,
        person_id: personId,
        user_id: null,
        created_at: now,
      })
      .onConflict((conflict) =>
        conflict.columns(['item_id', 'person_id']).where('person_id', 'is not', null).doNothing(),
      )
      .returning('id')
      .executeTakeFirst();
    // Only a new vote counts towards the hourly limit; pressing "Vote" again is free.
    if (inserted) await limitSubmissions(tx, ctx, customer);
    const voteCount = await recountVotes(tx, customer.workspaceId, itemId);
    if (inserted) {
      const context = customerAuditContext(ctx, customer, personId);
      await recordItemEvent(tx, {
        workspaceId: customer.workspaceId,
        itemId,
        type: 'voted',
        actor: context.actor,
        data: { personId, voteCount, via: 'portal' },
        at: now,
      });
      await audit(tx, context, {
        action: 'item.voted',
        entity: 'item',
        entityId: itemId,
        after: { personId, voteCount, via: 'portal' },
      });
    }
    return { voteCount, votedByMe: true };
  });
}

/** Withdraws the customer's vote; withdrawing a vote they do not have changes nothing. */
export async function withdrawVoteFor(
  ctx: RequestContext,
  customer: CustomerAuth,
  itemId: string,
): Promise<VoteResult> {
  await customerBoard(ctx);
  return ctx.deps.db.transaction().execute(async (tx) => {
    await lockBoardSuggestion(tx, customer.workspaceId, itemId);
    const personId = customer.personId;
    const removed = personId
      ? await tx
          .deleteFrom('item_votes')
          .where('workspace_id', '=', customer.workspaceId)
          .where('item_id', '=', itemId)
          .where('person_id', '=', personId)
          .executeTakeFirst()
      : null;
    const voteCount = await recountVotes(tx, customer.workspaceId, itemId);
    if (personId && Number(removed?.numDeletedRows ?? 0) > 0) {
      const context = customerAuditContext(ctx, customer, personId);
      await recordItemEvent(tx, {
        workspaceId: customer.workspaceId,
        itemId,
        type: 'vote_withdrawn',
        actor: context.actor,
        data: { personId, voteCount, via: 'portal' },
        at: nowOf(ctx.deps),
      });
      await audit(tx, context, {
        action: 'item.vote_withdrawn',
        entity: 'item',
        entityId: itemId,
        before: { personId },
        after: { voteCount, via: 'portal' },
      });
    }
    return { voteCount, votedByMe: false };
  });
}

/** A customer's comment on a board suggestion. A filled honeypot gets the same answer, unstored. */
export async function commentAsCustomer(
  ctx: RequestContext,
  customer: CustomerAuth,
  itemId: string,
  input: { body: string; website?: string },
): Promise<SuggestionComment> {
  const portal = await customerBoard(ctx);
  const now = nowOf(ctx.deps);
  if (input.website) {
    return {
      id: newId(),
      author: 'A customer',
      byStaff: false,
      body: input.body,
      createdAt: now.toISOString(),
    };
  }
  return ctx.deps.db.transaction().execute(async (tx) => {
    await lockBoardSuggestion(tx, customer.workspaceId, itemId);
    await limitSubmissions(tx, ctx, customer);
    const personId = await ensurePerson(tx, ctx, customer);
    const id = newId();
    await tx
      .insertInto('suggestion_comments')
      .values({
        id,
        workspace_id: customer.workspaceId,
        item_id: itemId,
        person_id: personId,
        user_id: null,
        body: input.body,
        created_at: now,
      })
      .execute();
    const context = customerAuditContext(ctx, customer, personId);
    await recordItemEvent(tx, {
      workspaceId: customer.workspaceId,
      itemId,
      type: 'board_commented',
      actor: context.actor,
      data: { commentId: id, personId },
      at: now,
    });
    await audit(tx, context, {
      action: 'suggestion.commented',
      entity: 'item',
      entityId: itemId,
      after: { commentId: id, length: input.body.length },
    });
    const person = await tx
      .selectFrom('people')
      .select('given_name')
      .where('id', '=', personId)
      .executeTakeFirst();
    return toComment(
      { id, body: input.body, created_at: now, person_id: personId, given_name: person?.given_name ?? null },
      portal.name,
    );
  });
}
