import { sql } from 'kysely';
import type { Queryable } from '../../../platform/db/database.ts';
import { AppError } from '../../../platform/errors.ts';
import type { RequestContext } from '../../../platform/http/context.ts';
import { uuidPattern } from '../../../platform/ids.ts';
import type {
  BoardPage,
  BoardSuggestion,
  BoardSuggestionDetail,
  SuggestionComment,
} from '../../../shared/portal-suggestions.ts';
import { type BoardStatus, boardStatusLabels } from '../../../shared/portal-words.ts';
import { notYours } from '../customer.ts';
import { type PortalWorkspace, requirePart, resolvePortal } from '../site.ts';

/**
 * The portal whose board the caller may read: a signed-in customer always, anyone else only when
 * staff made the board public.
 */
export async function readableBoard(ctx: RequestContext, slug: string | undefined): Promise<PortalWorkspace> {
  const portal = await resolvePortal(ctx, slug);
  requirePart(portal, 'suggestions');
  if (!ctx.customer && !portal.site.publicSuggestions) {
    throw new AppError('unauthenticated', 'Sign in to see suggestions: ask for a sign-in link by email.');
  }
  return portal;
}

export const commentCountSql = sql<number>`(select count(*)::int from suggestion_comments c where c.item_id = i.id)`;

/** Board suggestions of a workspace: on the board, not merged away. Selects only public fields. */
function boardRows(db: Queryable, workspaceId: string, personId: string | null) {
  return db
    .selectFrom('items as i')
    .select([
      'i.id',
      'i.ref',
      'i.subject',
      'i.body',
      'i.board_status',
      'i.board_response',
      'i.board_updated_at',
      'i.created_at',
      'i.vote_count',
      commentCountSql.as('comment_count'),
      (personId
        ? sql<boolean>`exists (select 1 from item_votes v where v.item_id = i.id and v.person_id = ${personId})`
        : sql<boolean>`false`
      ).as('voted_by_me'),
    ])
    .where('i.workspace_id', '=', workspaceId)
    .where('i.kind', '=', 'suggestion')
    .where('i.board_status', 'is not', null)
    .where('i.merged_into_id', 'is', null);
}

type BoardRow = Awaited<ReturnType<ReturnType<typeof boardRows>['execute']>>[number];

function toBoardSuggestion(row: BoardRow): BoardSuggestion {
  const status = row.board_status as BoardStatus;
  return {
    id: row.id,
    ref: Number(row.ref),
    subject: row.subject,
    body: row.body,
    status,
    statusLabel: boardStatusLabels[status],
    response: row.board_response,
    statusChangedAt: row.board_updated_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    voteCount: row.vote_count,
    commentCount: row.comment_count,
    votedByMe: row.voted_by_me,
  };
}

const badCursor = () => {
  const message = 'must be the `next` value of a previous page of this list, with the same sort.';
  return new AppError('validation_failed', `query.after: ${message}`, {
    errors: [{ path: 'query.after', message }],
  });
};

/** "top" pages continue after (vote count, id); "new" pages after an id (ids sort by time). */
function parseCursor(sort: 'top' | 'new', after: string): { votes: number; id: string } | { id: string } {
  if (sort === 'new') {
    if (!uuidPattern.test(after)) throw badCursor();
    return { id: after };
  }
  const match = /^(\d{1,9})_(.+)$/.exec(after);
  if (!match || !uuidPattern.test(match[2]!)) throw badCursor();
  return { votes: Number(match[1]), id: match[2]! };
}

export async function listBoard(
  ctx: RequestContext,
  query: { workspace?: string; status?: BoardStatus; sort: 'top' | 'new'; after?: string; limit: number },
): Promise<BoardPage> {
  const portal = await readableBoard(ctx, query.workspace);
  let builder = boardRows(ctx.deps.db, portal.id, ctx.customer?.personId ?? null).limit(query.limit + 1);
  if (query.status) builder = builder.where('i.board_status', '=', query.status);
  const cursor = query.after ? parseCursor(query.sort, query.after) : null;
  if (query.sort === 'top') {
    builder = builder.orderBy('i.vote_count', 'desc').orderBy('i.id', 'desc');
    if (cursor && 'votes' in cursor) {
      builder = builder.where(sql<boolean>`(i.vote_count, i.id) < (${cursor.votes}, ${cursor.id}::uuid)`);
    }
  } else {
    builder = builder.orderBy('i.id', 'desc');
    if (cursor) builder = builder.where('i.id', '<', cursor.id);
  }
  const rows = await builder.execute();
  const pageRows = rows.slice(0, query.limit);
  const last = pageRows.at(-1);
  const next =
    rows.length > query.limit && last
      ? query.sort === 'top'
        ? `${last.vote_count}_${last.id}`
        : last.id
      : null;
  return { data: pageRows.map(toBoardSuggestion), next };
}

/** A board suggestion of this workspace, or 404 (also for ids of other workspaces). */
export async function findBoardSuggestion(
  db: Queryable,
  workspaceId: string,
  id: string,
  personId: string | null,
): Promise<BoardSuggestion> {
  const row = await boardRows(db, workspaceId, personId).where('i.id', '=', id).executeTakeFirst();
  if (!row) throw notYours('The suggestion');
  return toBoardSuggestion(row);
}

const firstName = (name: string | null) => name?.trim().split(/\s+/)[0] || null;

/** The comments on a suggestion, oldest first, with public author names only. */
export async function commentsOf(
  db: Queryable,
  workspace: { id: string; name: string },
  itemId: string,
): Promise<SuggestionComment[]> {
  const rows = await db
    .selectFrom('suggestion_comments as c')
    .leftJoin('people as p', 'p.id', 'c.person_id')
    .leftJoin('users as u', 'u.id', 'c.user_id')
    .select([
      'c.id',
      'c.body',
      'c.created_at',
      'c.user_id',
      'c.person_id',
      'p.given_name',
      'u.name as user_name',
    ])
    .where('c.workspace_id', '=', workspace.id)
    .where('c.item_id', '=', itemId)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(1000)
    .execute();
  return rows.map((row) => toComment(row, workspace.name));
}

export function toComment(
  row: {
    id: string;
    body: string;
    created_at: Date;
    person_id: string | null;
    given_name?: string | null;
    user_name?: string | null;
  },
  workspaceName: string,
): SuggestionComment {
  const byStaff = row.person_id === null;
  const staffName = firstName(row.user_name ?? null);
  return {
    id: row.id,
    author: byStaff
      ? `${workspaceName} team${staffName ? ` · ${staffName}` : ''}`
      : (firstName(row.given_name ?? null) ?? 'A customer'),
    byStaff,
    body: row.body,
    createdAt: row.created_at.toISOString(),
  };
}

export async function boardSuggestionDetail(
  ctx: RequestContext,
  id: string,
  slug: string | undefined,
): Promise<BoardSuggestionDetail> {
  const portal = await readableBoard(ctx, slug);
  const suggestion = await findBoardSuggestion(ctx.deps.db, portal.id, id, ctx.customer?.personId ?? null);
  return { ...suggestion, comments: await commentsOf(ctx.deps.db, portal, id) };
}
