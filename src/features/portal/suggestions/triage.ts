import { audit } from '../../../platform/audit.ts';
import type { Queryable } from '../../../platform/db/database.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import {
  type Auth,
  actorOf,
  auditContext,
  nowOf,
  type RequestContext,
} from '../../../platform/http/context.ts';
import { newId, uuidPattern } from '../../../platform/ids.ts';
import type {
  BoardFilter,
  BoardUpdateResult,
  SuggestionComment,
  TriageDetail,
  TriagePage,
  TriageSuggestion,
} from '../../../shared/portal-suggestions.ts';
import type { BoardStatus } from '../../../shared/portal-words.ts';
import { recordItemEvent } from '../../items/events.ts';
import { loadPortalWorkspaceById } from '../site.ts';
import { commentCountSql, commentsOf, toComment } from './board.ts';
import { informVoters } from './notify.ts';

/** Every suggestion of a workspace that was not merged into another, on the board or not. */
function triageRows(db: Queryable, workspaceId: string) {
  return db
    .selectFrom('items as i')
    .select([
      'i.id',
      'i.ref',
      'i.subject',
      'i.status',
      'i.board_status',
      'i.board_response',
      'i.board_updated_at',
      'i.vote_count',
      'i.created_at',
      commentCountSql.as('comment_count'),
    ])
    .where('i.workspace_id', '=', workspaceId)
    .where('i.kind', '=', 'suggestion')
    .where('i.merged_into_id', 'is', null);
}

type TriageRow = Awaited<ReturnType<ReturnType<typeof triageRows>['execute']>>[number];

const toTriage = (row: TriageRow): TriageSuggestion => ({
  id: row.id,
  ref: Number(row.ref),
  subject: row.subject,
  itemStatus: row.status,
  boardStatus: row.board_status as BoardStatus | null,
  boardResponse: row.board_response,
  boardUpdatedAt: row.board_updated_at?.toISOString() ?? null,
  voteCount: row.vote_count,
  commentCount: row.comment_count,
  createdAt: row.created_at.toISOString(),
});

/** Newest first, keyset over the ids (which sort by time). */
export async function triageList(
  ctx: RequestContext,
  auth: Auth,
  query: { board: BoardFilter; status?: BoardStatus; after?: string; limit: number },
): Promise<TriagePage> {
  if (query.after !== undefined && !uuidPattern.test(query.after)) {
    const message = 'must be the `next` value of a previous page of this list.';
    throw new AppError('validation_failed', `query.after: ${message}`, {
      errors: [{ path: 'query.after', message }],
    });
  }
  let builder = triageRows(ctx.deps.db, auth.workspaceId)
    .orderBy('i.id', 'desc')
    .limit(query.limit + 1);
  if (query.status) builder = builder.where('i.board_status', '=', query.status);
  else if (query.board === 'on') builder = builder.where('i.board_status', 'is not', null);
  else if (query.board === 'off') builder = builder.where('i.board_status', 'is', null);
  if (query.after) builder = builder.where('i.id', '<', query.after);
  const rows = await builder.execute();
  const pageRows = rows.slice(0, query.limit);
  return {
    data: pageRows.map(toTriage),
    next: rows.length > query.limit ? (pageRows.at(-1)?.id ?? null) : null,
  };
}

async function workspaceOf(db: Queryable, workspaceId: string) {
  const portal = await loadPortalWorkspaceById(db, workspaceId);
  if (!portal) throw notFound('The workspace');
  return portal;
}

export async function triageDetail(ctx: RequestContext, auth: Auth, id: string): Promise<TriageDetail> {
  const row = await triageRows(ctx.deps.db, auth.workspaceId).where('i.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The suggestion');
  const workspace = await workspaceOf(ctx.deps.db, auth.workspaceId);
  return { ...toTriage(row), comments: await commentsOf(ctx.deps.db, workspace, id) };
}

/** The suggestion, locked; 404 for other workspaces, 409 for other kinds and merged duplicates. */
async function lockSuggestion(tx: Queryable, workspaceId: string, id: string) {
  const row = await tx
    .selectFrom('items')
    .select(['id', 'ref', 'kind', 'subject', 'merged_into_id', 'board_status', 'board_response'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('The suggestion');
  if (row.kind !== 'suggestion') {
    throw new AppError('conflict', `Only suggestions go on the board; #${row.ref} is a ${row.kind}.`);
  }
  if (row.merged_into_id) {
    throw new AppError(
      'conflict',
      `#${row.ref} was merged into another suggestion; triage that one instead.`,
    );
  }
  return row;
}

/**
 * Puts a suggestion on the board, moves it, or takes it off. A status change is recorded on the
 * item and mailed to every voter (in the same transaction); a response-only edit is not mailed.
 */
export async function updateBoard(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  input: { boardStatus: BoardStatus | null; boardResponse?: string | null },
): Promise<BoardUpdateResult> {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const before = await lockSuggestion(tx, auth.workspaceId, id);
    const now = nowOf(ctx.deps);
    const response =
      input.boardResponse === undefined ? before.board_response : input.boardResponse?.trim() || null;
    const statusChanged = before.board_status !== input.boardStatus;
    await tx
      .updateTable('items')
      .set({
        board_status: input.boardStatus,
        board_response: response,
        ...(statusChanged ? { board_updated_at: now } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    let votersInformed = 0;
    if (statusChanged) {
      await recordItemEvent(tx, {
        workspaceId: auth.workspaceId,
        itemId: id,
        type: 'board_status_changed',
        actor: actorOf(auth),
        data: { from: before.board_status, to: input.boardStatus, response },
        at: now,
      });
      if (input.boardStatus) {
        const workspace = await workspaceOf(tx, auth.workspaceId);
        votersInformed = await informVoters(tx, {
          workspaceId: auth.workspaceId,
          workspaceName: workspace.name,
          portalSlug: workspace.slug,
          origin: ctx.origin,
          item: { id, ref: Number(before.ref), subject: before.subject },
          status: input.boardStatus,
          response,
          now,
        });
      }
    }
    await audit(tx, auditContext(ctx), {
      action: 'suggestion.board_updated',
      entity: 'item',
      entityId: id,
      before: { boardStatus: before.board_status, boardResponse: before.board_response },
      after: { boardStatus: input.boardStatus, boardResponse: response, votersInformed },
    });
    const row = await triageRows(tx, auth.workspaceId).where('i.id', '=', id).executeTakeFirstOrThrow();
    return { ...toTriage(row), votersInformed };
  });
}

/** A staff response posted as a comment on the suggestion (shown as "<Workspace> team · <name>"). */
export async function commentAsStaff(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  body: string,
): Promise<SuggestionComment> {
  return ctx.deps.db.transaction().execute(async (tx) => {
    await lockSuggestion(tx, auth.workspaceId, id);
    const now = nowOf(ctx.deps);
    const commentId = newId();
    await tx
      .insertInto('suggestion_comments')
      .values({
        id: commentId,
        workspace_id: auth.workspaceId,
        item_id: id,
        person_id: null,
        user_id: auth.userId,
        body,
        created_at: now,
      })
      .execute();
    await recordItemEvent(tx, {
      workspaceId: auth.workspaceId,
      itemId: id,
      type: 'board_commented',
      actor: actorOf(auth),
      data: { commentId },
      at: now,
    });
    await audit(tx, auditContext(ctx), {
      action: 'suggestion.commented',
      entity: 'item',
      entityId: id,
      after: { commentId, length: body.length },
    });
    const workspace = await workspaceOf(tx, auth.workspaceId);
    const user = await tx.selectFrom('users').select('name').where('id', '=', auth.userId).executeTakeFirst();
    return toComment(
      { id: commentId, body, created_at: now, person_id: null, user_name: user?.name ?? null },
      workspace.name,
    );
  });
}
