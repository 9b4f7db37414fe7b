import { sql } from 'kysely';
import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, actorOf, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import { unprocessable } from '../people/normalize.ts';
import { refreshItemSla } from '../sla/refresh.ts';
import { recordItemEvent } from './events.ts';
import { toItem } from './output.ts';
import type { ItemRow } from './schema.ts';
import { recountVotes } from './votes.ts';

/**
 * Merges a duplicate (`otherId`) into an item. The duplicate is closed as "duplicate of #ref"
 * and points at the survivor; its votes move over (one per person or user); its observations
 * stay on it (the problem compare counts items merged into a linked item as linked); items
 * merged into the duplicate earlier now point at the survivor, so customersOf() reaches every
 * customer. The duplicate leaves its problem: the survivor takes it over when it has none, else
 * the duplicate follows the survivor's. When the duplicate's customer was not informed yet, the survivor's informed/thanked
 * marks are cleared: the loop has to be closed for them too.
 */
export async function mergeItems(ctx: RequestContext, auth: Auth, survivorId: string, otherId: string) {
  if (survivorId === otherId) {
    throw unprocessable([
      { path: 'body.otherId', message: 'is this item; an item cannot be merged into itself.' },
    ]);
  }
  return ctx.deps.db.transaction().execute(async (tx) => {
    const ws = auth.workspaceId;
    // Both rows locked, in id order, so that two opposite merges cannot deadlock.
    const rows = await tx
      .selectFrom('items')
      .selectAll()
      .where('workspace_id', '=', ws)
      .where('id', 'in', [survivorId, otherId])
      .orderBy('id')
      .forUpdate()
      .execute();
    const survivor = rows.find((row) => row.id === survivorId);
    const other = rows.find((row) => row.id === otherId);
    if (!survivor) throw notFound('The item');
    if (!other) throw unprocessable([{ path: 'body.otherId', message: 'is not an item of this workspace.' }]);
    const refs = await mergedRefs(tx, [survivor, other]);
    for (const row of [survivor, other]) {
      if (row.merged_into_id) {
        throw new AppError(
          'conflict',
          `#${row.ref} was already merged into #${refs.get(row.merged_into_id) ?? '?'}; merge into that item instead.`,
        );
      }
    }
    if (survivor.status === 'closed') {
      throw new AppError(
        'conflict',
        `#${survivor.ref} is closed: reopen it before merging into it, so that the new customer hears back too.`,
      );
    }
    const now = nowOf(ctx.deps);
    const actor = actorOf(auth);
    const closeReason = `duplicate of #${survivor.ref}`;
    await tx
      .updateTable('items')
      .set({
        status: 'closed',
        closed_at: now,
        close_reason: closeReason,
        merged_into_id: survivorId,
        // Duplicates follow the survivor's problem (inherited below when it has none).
        problem_id: null,
        updated_at: now,
        version: sql<number>`version + 1`,
      })
      .where('workspace_id', '=', ws)
      .where('id', '=', otherId)
      .execute();
    // Items merged into the duplicate before follow it to the survivor (one level, always).
    const carried = await tx
      .updateTable('items')
      .set({ merged_into_id: survivorId, updated_at: now, version: sql<number>`version + 1` })
      .where('workspace_id', '=', ws)
      .where('merged_into_id', '=', otherId)
      .returning(['id'])
      .execute();
    if (carried.length > 0) {
      await sql`
        insert into item_events (id, workspace_id, item_id, type, actor_type, actor_id, data, created_at)
        select gen_random_uuid(), ${ws}, c.id, 'merged_into', ${actor.type}, ${actor.userId},
          ${JSON.stringify({ intoId: survivorId, intoRef: Number(survivor.ref), via: otherId })}::jsonb, ${now}
        from unnest(${carried.map((row) => row.id)}::uuid[]) as c(id)`.execute(tx);
    }
    const movedVotes = await moveVotes(tx, ws, otherId, survivorId);
    const voteCount = await recountVotes(tx, ws, survivorId);
    await recountVotes(tx, ws, otherId);
    const loopReopened =
      other.informed_at === null && (survivor.informed_at !== null || survivor.thanked_at !== null);
    const inheritsProblem = survivor.problem_id === null && other.problem_id !== null;
    await tx
      .updateTable('items')
      .set({
        updated_at: now,
        version: sql<number>`version + 1`,
        ...(loopReopened ? { informed_at: null, thanked_at: null } : {}),
        ...(inheritsProblem ? { problem_id: other.problem_id } : {}),
        // The metrics leave the duplicate out, so the staff time spent on it moves to the survivor.
        ...(other.handling_minutes !== null
          ? { handling_minutes: sql<number>`coalesce(handling_minutes, 0) + ${other.handling_minutes}` }
          : {}),
      })
      .where('workspace_id', '=', ws)
      .where('id', '=', survivorId)
      .execute();
    await recordItemEvent(tx, {
      workspaceId: ws,
      itemId: survivorId,
      type: 'merged',
      actor,
      at: now,
      data: {
        otherId,
        otherRef: Number(other.ref),
        movedVotes,
        carriedItemIds: carried.map((row) => row.id),
        ...(loopReopened ? { informedAndThankedCleared: true } : {}),
        ...(inheritsProblem ? { problemId: other.problem_id } : {}),
        ...(other.handling_minutes !== null ? { carriedMinutes: other.handling_minutes } : {}),
      },
    });
    await recordItemEvent(tx, {
      workspaceId: ws,
      itemId: otherId,
      type: 'merged_into',
      actor,
      at: now,
      data: {
        intoId: survivorId,
        intoRef: Number(survivor.ref),
        closeReason,
        ...(other.problem_id ? { leftProblemId: other.problem_id } : {}),
      },
    });
    await audit(tx, auditContext(ctx), {
      action: 'item.merged',
      entity: 'item',
      entityId: survivorId,
      before: { other: { id: otherId, status: other.status, votes: other.vote_count } },
      after: { otherId, closeReason, movedVotes, voteCount, carried: carried.length, loopReopened },
    });
    await refreshItemSla(tx, ws, otherId, now);
    const updated = await tx
      .selectFrom('items')
      .selectAll()
      .where('id', '=', survivorId)
      .executeTakeFirstOrThrow();
    return toItem(tx, ws, updated);
  });
}

/** The refs of the items the given rows were merged into, for messages. */
async function mergedRefs(tx: Queryable, rows: ItemRow[]) {
  const ids = rows.flatMap((row) => (row.merged_into_id ? [row.merged_into_id] : []));
  if (ids.length === 0) return new Map<string, string>();
  const found = await tx.selectFrom('items').select(['id', 'ref']).where('id', 'in', ids).execute();
  return new Map(found.map((row) => [row.id, String(row.ref)]));
}

/** Moves votes; a person or user who voted on both keeps one vote. Returns how many moved. */
async function moveVotes(tx: Queryable, ws: string, fromId: string, toId: string) {
  const votes = await tx
    .deleteFrom('item_votes')
    .where('workspace_id', '=', ws)
    .where('item_id', '=', fromId)
    .returning(['id', 'person_id', 'user_id', 'created_at'])
    .execute();
  if (votes.length === 0) return 0;
  const moved = await tx
    .insertInto('item_votes')
    .values(votes.map((vote) => ({ ...vote, workspace_id: ws, item_id: toId })))
    .onConflict((conflict) => conflict.doNothing())
    .returning('id')
    .execute();
  return moved.length;
}
