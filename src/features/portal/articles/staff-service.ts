import { sql } from 'kysely';
import type { z } from 'zod';
import { audit } from '../../../platform/audit.ts';
import type { Queryable } from '../../../platform/db/database.ts';
import { AppError } from '../../../platform/errors.ts';
import { type Auth, auditContext, nowOf, type RequestContext } from '../../../platform/http/context.ts';
import { newId } from '../../../platform/ids.ts';
import {
  type createArticleInput,
  flaggedMinimumNo,
  isFlagged,
  type StaffArticle,
  type staffArticlesQuery,
  type updateArticleInput,
} from '../../../shared/portal-articles.ts';
import { articleSearch, decodeCursor, encodeCursor } from './search.ts';

const entity = 'kb_article';

interface ArticleRow {
  id: string;
  title: string;
  category: string | null;
  body: string;
  status: 'draft' | 'published';
  source_item_id: string | null;
  views: number;
  helpful_yes: number;
  helpful_no: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
}

export function toStaffArticle(row: ArticleRow): StaffArticle {
  const counts = { helpfulYes: row.helpful_yes, helpfulNo: row.helpful_no };
  return {
    id: row.id,
    title: row.title,
    category: row.category,
    body: row.body,
    status: row.status,
    sourceItemId: row.source_item_id,
    views: row.views,
    ...counts,
    flagged: isFlagged(counts),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    publishedAt: row.published_at ? row.published_at.toISOString() : null,
  };
}

const articleColumns = [
  'id',
  'title',
  'category',
  'body',
  'status',
  'source_item_id',
  'views',
  'helpful_yes',
  'helpful_no',
  'created_by',
  'created_at',
  'updated_at',
  'published_at',
] as const;

export const articleNotFound = () => new AppError('not_found', 'The article was not found.');

function findArticle(db: Queryable, workspaceId: string, id: string, lock = false) {
  let query = db
    .selectFrom('kb_articles')
    .select(articleColumns)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function getArticle(ctx: RequestContext, auth: Auth, id: string): Promise<StaffArticle> {
  const row = await findArticle(ctx.deps.db, auth.workspaceId, id);
  if (!row) throw articleNotFound();
  return toStaffArticle(row);
}

/** Newest change first; keyset on (updated_at, id). */
export async function listArticles(
  ctx: RequestContext,
  auth: Auth,
  query: z.output<typeof staffArticlesQuery>,
) {
  let builder = ctx.deps.db
    .selectFrom('kb_articles as a')
    .select(articleColumns.map((column) => `a.${column}` as const))
    .where('a.workspace_id', '=', auth.workspaceId);
  if (query.status) builder = builder.where('a.status', '=', query.status);
  if (query.category) builder = builder.where('a.category', '=', query.category);
  if (query.flagged !== undefined) {
    const flagged = sql<boolean>`(a.helpful_no >= ${flaggedMinimumNo} and a.helpful_no > a.helpful_yes)`;
    builder = builder.where(query.flagged ? flagged : sql<boolean>`not ${flagged}`);
  }
  if (query.q?.trim()) {
    const search = articleSearch(query.q.trim());
    if (!search) return { data: [], next: null };
    builder = builder.where(search.where);
  }
  if (query.after) {
    const [updatedAt, id] = decodeCursor(query.after, ['date', 'uuid']);
    builder = builder.where(sql<boolean>`(a.updated_at, a.id) < (${new Date(updatedAt!)}, ${id})`);
  }
  const rows = await builder
    .orderBy('a.updated_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const pageRows = rows.slice(0, query.limit);
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(toStaffArticle),
    next: rows.length > query.limit && last ? encodeCursor([last.updated_at.toISOString(), last.id]) : null,
  };
}

export async function insertArticle(
  tx: Queryable,
  ctx: RequestContext,
  auth: Auth,
  input: z.output<typeof createArticleInput> & { sourceItemId?: string },
): Promise<string> {
  const now = nowOf(ctx.deps);
  const row = {
    id: newId(),
    workspace_id: auth.workspaceId,
    title: input.title,
    category: input.category ?? null,
    body: input.body,
    status: input.status,
    source_item_id: input.sourceItemId ?? null,
    created_by: auth.userId,
    created_at: now,
    updated_at: now,
    published_at: input.status === 'published' ? now : null,
  };
  await tx.insertInto('kb_articles').values(row).execute();
  await audit(tx, auditContext(ctx), { action: 'kb_article.created', entity, entityId: row.id, after: row });
  return row.id;
}

export async function createArticle(
  ctx: RequestContext,
  auth: Auth,
  input: z.output<typeof createArticleInput>,
) {
  const id = await ctx.deps.db.transaction().execute((tx) => insertArticle(tx, ctx, auth, input));
  return getArticle(ctx, auth, id);
}

export async function updateArticle(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  input: z.output<typeof updateArticleInput>,
) {
  const { updatedAt, ...fields } = input;
  await ctx.deps.db.transaction().execute(async (tx) => {
    const before = await findArticle(tx, auth.workspaceId, id, true);
    if (!before) throw articleNotFound();
    if (before.updated_at.getTime() !== Date.parse(updatedAt)) {
      throw new AppError(
        'conflict',
        `Someone else saved this article since you opened it (at ${before.updated_at.toISOString()}). ` +
          'Reload it, apply your change again and save.',
      );
    }
    const now = nowOf(ctx.deps);
    // Keep updated_at strictly increasing so that it works as a version even within a millisecond.
    const updatedAtNext = new Date(Math.max(now.getTime(), before.updated_at.getTime() + 1));
    const changes = {
      ...(fields.title !== undefined ? { title: fields.title } : {}),
      ...(fields.category !== undefined ? { category: fields.category } : {}),
      ...(fields.body !== undefined ? { body: fields.body } : {}),
      ...(fields.status !== undefined ? { status: fields.status } : {}),
      ...(fields.status === 'published' && before.status !== 'published' ? { published_at: now } : {}),
    };
    await tx
      .updateTable('kb_articles')
      .set({ ...changes, updated_at: updatedAtNext })
      .where('id', '=', id)
      .execute();
    const previous = Object.fromEntries(
      Object.keys(changes).map((key) => [key, before[key as keyof typeof before]]),
    );
    await audit(tx, auditContext(ctx), {
      action: 'kb_article.updated',
      entity,
      entityId: id,
      before: previous,
      after: changes,
    });
  });
  return getArticle(ctx, auth, id);
}

export async function deleteArticle(ctx: RequestContext, auth: Auth, id: string) {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const before = await findArticle(tx, auth.workspaceId, id, true);
    if (!before) throw articleNotFound();
    await tx.deleteFrom('kb_articles').where('id', '=', id).execute();
    await audit(tx, auditContext(ctx), {
      action: 'kb_article.deleted',
      entity,
      entityId: id,
      before: { ...before, body: before.body.slice(0, 2000) },
    });
  });
}
