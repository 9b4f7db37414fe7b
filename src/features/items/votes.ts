import { sql } from 'kysely';
import { audit } from '../../platform/audit.ts';
import type { Queryable, Tx } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, actorOf, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import { newId, uuidPattern } from '../../platform/ids.ts';
import type { ItemVote } from '../../shared/listening.ts';
import { unprocessable } from '../people/normalize.ts';
import { recordItemEvent } from './events.ts';

/** The item, locked so that its vote count moves in step with its votes. */
async function lockVotableItem(tx: Tx, workspaceId: string, id: string) {
  const row = await tx
    .selectFrom('items')
    .select(['id', 'ref', 'kind', 'merged_into_id'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('The item');
  return row;
}

/** Recounts an item's votes (never drifts, even after merges) and returns the count. */
export async function recountVotes(tx: Queryable, workspaceId: string, itemId: string): Promise<number> {
  const row = await tx
    .updateTable('items')
    .set({
      vote_count: sql<number>`(select count(*)::int from item_votes v where v.item_id = ${itemId})`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', itemId)
    .returning('vote_count')
    .executeTakeFirstOrThrow();
  return row.vote_count;
}

type Voter = { personId: string } | { userId: string };
const voterData = (voter: Voter) =>
  'personId' in voter ? { personId: voter.personId } : { userId: voter.userId };

function voteRows(db: Queryable, workspaceId: string) {
  return db
    .selectFrom('item_votes as v')
    .leftJoin('people as p', 'p.id', 'v.person_id')
    .leftJoin('users as u', 'u.id', 'v.user_id')
    .select([
      'v.id',
      'v.item_id',
      'v.person_id',
      'p.display_name as person_name',
      'v.user_id',
      'u.name as user_name',
      'v.created_at',
    ])
    .where('v.workspace_id', '=', workspaceId);
}

type VoteRow = Awaited<ReturnType<ReturnType<typeof voteRows>['execute']>>[number];
const toVote = (row: VoteRow): ItemVote => ({
  id: row.id,
  personId: row.person_id,
  personName: row.person_name,
  userId: row.user_id,
  userName: row.user_name,
  createdAt: row.created_at.toISOString(),
});

/** Casts a vote for a suggestion: the caller's own, or a customer's recorded by staff. */
export async function castVote(
  ctx: RequestContext,
  auth: Auth,
  itemId: string,
  personId: string | undefined,
) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const item = await lockVotableItem(tx, auth.workspaceId, itemId);
    if (item.kind !== 'suggestion') {
      throw new AppError('conflict', `Only suggestions collect votes; #${item.ref} is a ${item.kind}.`);
    }
    if (item.merged_into_id) {
      const survivor = await tx
        .selectFrom('items')
        .select('ref')
        .where('id', '=', item.merged_into_id)
        .executeTakeFirst();
      throw new AppError(
        'conflict',
        `#${item.ref} was merged into #${survivor?.ref ?? '?'}; vote on that item instead.`,
      );
    }
    if (personId) {
      const person = await tx
        .selectFrom('people')
        .select('id')
        .where('workspace_id', '=', auth.workspaceId)
        .where('id', '=', personId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (!person)
        throw unprocessable([{ path: 'body.personId', message: 'is not a person of this workspace.' }]);
    }
    const voter: Voter = personId ? { personId } : { userId: auth.userId };
    const already = await tx
      .selectFrom('item_votes')
      .select('id')
      .where('item_id', '=', itemId)
      .where('personId' in voter ? 'person_id' : 'user_id', '=', personId ?? auth.userId)
      .executeTakeFirst();
    const doubleVote = () =>
      new AppError(
        'conflict',
        personId
          ? 'This person has already voted for this suggestion.'
          : 'You have already voted for this suggestion.',
      );
    if (already) throw doubleVote();
    const now = nowOf(ctx.deps);
    const id = newId();
    await tx
      .insertInto('item_votes')
      .values({
        id,
        workspace_id: auth.workspaceId,
        item_id: itemId,
        person_id: personId ?? null,
        user_id: personId ? null : auth.userId,
        created_at: now,
      })
      .execute()
      .catch((error: { code?: string }) => {
        throw error.code === '23505' ? doubleVote() : error;
      });
    const voteCount = await recountVotes(tx, auth.workspaceId, itemId);
    await recordItemEvent(tx, {
      workspaceId: auth.workspaceId,
      itemId,
      type: 'voted',
      actor: actorOf(auth),
      data: { ...voterData(voter), voteCount },
      at: now,
    });
    await audit(tx, auditContext(ctx), {
      action: 'item.voted',
      entity: 'item',
      entityId: itemId,
      after: { ...voterData(voter), voteCount },
    });
    const vote = await voteRows(tx, auth.workspaceId).where('v.id', '=', id).executeTakeFirstOrThrow();
    return { voteCount, vote: toVote(vote) };
  });
}

/** Withdraws the caller's vote, or a customer's. */
export async function withdrawVote(
  ctx: RequestContext,
  auth: Auth,
  itemId: string,
  personId: string | undefined,
) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    await lockVotableItem(tx, auth.workspaceId, itemId);
    const voter: Voter = personId ? { personId } : { userId: auth.userId };
    const removed = await tx
      .deleteFrom('item_votes')
      .where('workspace_id', '=', auth.workspaceId)
      .where('item_id', '=', itemId)
      .where(personId ? 'person_id' : 'user_id', '=', personId ?? auth.userId)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) {
      throw new AppError(
        'not_found',
        personId
          ? 'This person has no vote on this item to withdraw.'
          : 'You have no vote on this item to withdraw.',
      );
    }
    const voteCount = await recountVotes(tx, auth.workspaceId, itemId);
    const now = nowOf(ctx.deps);
    await recordItemEvent(tx, {
      workspaceId: auth.workspaceId,
      itemId,
      type: 'vote_withdrawn',
      actor: actorOf(auth),
      data: { ...voterData(voter), voteCount },
      at: now,
    });
    await audit(tx, auditContext(ctx), {
      action: 'item.vote_withdrawn',
      entity: 'item',
      entityId: itemId,
      before: voterData(voter),
      after: { voteCount },
    });
    return { voteCount, vote: null };
  });
}

/** Who voted, newest first (keyset over the vote ids, which sort by time). */
export async function votesPage(
  ctx: RequestContext,
  auth: Auth,
  itemId: string,
  query: { after?: string; limit: number },
) {
  const item = await ctx.deps.db
    .selectFrom('items')
    .select('id')
    .where('workspace_id', '=', auth.workspaceId)
    .where('id', '=', itemId)
    .executeTakeFirst();
  if (!item) throw notFound('The item');
  if (query.after !== undefined && !uuidPattern.test(query.after)) {
    const message = 'must be the `next` value of a previous page of this list.';
    throw new AppError('validation_failed', `query.after: ${message}`, {
      errors: [{ path: 'query.after', message }],
    });
  }
  let builder = voteRows(ctx.deps.db, auth.workspaceId)
    .where('v.item_id', '=', itemId)
    .orderBy('v.id', 'desc')
    .limit(query.limit + 1);
  if (query.after) builder = builder.where('v.id', '<', query.after);
  const rows = await builder.execute();
  const pageRows = rows.slice(0, query.limit);
  return {
    data: pageRows.map(toVote),
    next: rows.length > query.limit ? (pageRows.at(-1)?.id ?? null) : null,
  };
}
