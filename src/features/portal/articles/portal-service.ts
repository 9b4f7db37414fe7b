import { sql } from 'kysely';
import type { z } from 'zod';
import { audit } from '../../../platform/audit.ts';
import { assertUnderLimits, recordHit } from '../../../platform/auth/rate-limit.ts';
import { AppError } from '../../../platform/errors.ts';
import { customerAuditContext, nowOf, type RequestContext } from '../../../platform/http/context.ts';
import { newId } from '../../../platform/ids.ts';
import type {
  ArticleCategories,
  articleFeedbackInput,
  PortalArticle,
  PortalArticleSummary,
  PortalArticlesQuery,
} from '../../../shared/portal-articles.ts';
import { type PortalWorkspace, requirePart, resolvePortal } from '../site.ts';
import { articleSearch, decodeCursor, encodeCursor, snippetOf } from './search.ts';

/** Feedback answers one reader (session or, signed out, IP address) may give per hour. */
const feedbackPerHour = 120;

/**
 * The portal whose articles the caller may read: the knowledge base must be on, and signed-out
 * readers need the "public articles" setting (else 401, so the page offers to sign in).
 */
export async function articlesPortal(
  ctx: RequestContext,
  slug: string | undefined,
): Promise<PortalWorkspace> {
  const portal = await resolvePortal(ctx, slug);
  requirePart(portal, 'articles');
  if (!ctx.customer && !portal.site.publicArticles) {
    throw new AppError('unauthenticated', 'Sign in to the portal to read its help articles.');
  }
  return portal;
}

const notFoundArticle = () =>
  new AppError('not_found', 'This article was not found. It may have been unpublished.');

export async function listPortalArticles(
  ctx: RequestContext,
  query: PortalArticlesQuery,
): Promise<{ data: PortalArticleSummary[]; next: string | null }> {
  const portal = await articlesPortal(ctx, query.workspace);
  const q = query.q?.trim() ? query.q.trim() : undefined;
  let builder = ctx.deps.db
    .selectFrom('kb_articles as a')
    .select(['a.id', 'a.title', 'a.category', 'a.updated_at', sql<string>`left(a.body, 20000)`.as('body')])
    .where('a.workspace_id', '=', portal.id)
    .where('a.status', '=', 'published');
  if (query.category) builder = builder.where('a.category', '=', query.category);

  if (q) {
    // A ranked search is one page: the best matches, title matches first.
    const search = articleSearch(q, query.match);
    if (!search) return { data: [], next: null };
    const rows = await builder
      .where(search.where)
      .orderBy(search.rank, 'desc')
      .orderBy('a.id')
      .limit(query.limit)
      .execute();
    return {
      data: rows.map((row) => ({
        id: row.id,
        title: row.title,
        category: row.category,
        snippet: snippetOf(row.body, search.words),
        updatedAt: row.updated_at.toISOString(),
      })),
      next: null,
    };
  }

  if (query.after) {
    const [title, id] = decodeCursor(query.after, ['string', 'uuid']);
    builder = builder.where(sql<boolean>`(a.title, a.id) > (${title}, ${id})`);
  }
  const rows = await builder
    .orderBy('a.title')
    .orderBy('a.id')
    .limit(query.limit + 1)
    .execute();
  const pageRows = rows.slice(0, query.limit);
  const last = pageRows.at(-1);
  return {
    data: pageRows.map((row) => ({
      id: row.id,
      title: row.title,
      category: row.category,
      snippet: snippetOf(row.body),
      updatedAt: row.updated_at.toISOString(),
    })),
    next: rows.length > query.limit && last ? encodeCursor([last.title, last.id]) : null,
  };
}

export async function listPortalCategories(
  ctx: RequestContext,
  slug: string | undefined,
): Promise<ArticleCategories> {
  const portal = await articlesPortal(ctx, slug);
  const rows = await ctx.deps.db
    .selectFrom('kb_articles')
    .select(['category', sql<number>`count(*)::int`.as('count')])
    .where('workspace_id', '=', portal.id)
    .where('status', '=', 'published')
    .where('category', 'is not', null)
    .groupBy('category')
    .orderBy('category')
    .limit(200)
    .execute();
  return { data: rows.map((row) => ({ category: row.category!, count: row.count })) };
}

/** One published article; counts the view. */
export async function readPortalArticle(
  ctx: RequestContext,
  slug: string | undefined,
  id: string,
): Promise<PortalArticle> {
  const portal = await articlesPortal(ctx, slug);
  const row = await ctx.deps.db
    .updateTable('kb_articles')
    .set({ views: sql<number>`views + 1` })
    .where('workspace_id', '=', portal.id)
    .where('id', '=', id)
    .where('status', '=', 'published')
    .returning(['id', 'title', 'category', 'body', 'updated_at'])
    .executeTakeFirst();
  if (!row) throw notFoundArticle();
  const answer = ctx.customer
    ? await ctx.deps.db
        .selectFrom('kb_feedback')
        .select('helpful')
        .where('article_id', '=', id)
        .where('session_id', '=', ctx.customer.sessionId)
        .executeTakeFirst()
    : undefined;
  return {
    id: row.id,
    title: row.title,
    category: row.category,
    body: row.body,
    updatedAt: row.updated_at.toISOString(),
    myAnswer: answer?.helpful ?? null,
  };
}

/**
 * "Did this answer your question?" One answer per reader per article: the signed-in session, or
 * the visitor id a signed-out page keeps. A second, different answer replaces the first and moves
 * the counters; the same answer again changes nothing.
 */
export async function recordFeedback(
  ctx: RequestContext,
  slug: string | undefined,
  id: string,
  input: z.output<typeof articleFeedbackInput>,
) {
  const portal = await articlesPortal(ctx, slug);
  const customer = ctx.customer;
  const limit = {
    key: customer ? `portal:kb-feedback:${customer.sessionId}` : `portal:kb-feedback:ip:${ctx.ip}`,
    max: feedbackPerHour,
    windowSeconds: 3600,
  };
  await assertUnderLimits(
    ctx.deps.db,
    [limit],
    'You have answered a lot in the last hour. Please try again later.',
  );
  await recordHit(ctx.deps.db, limit);

  const sessionId = customer ? customer.sessionId : input.visitorId ? `visitor:${input.visitorId}` : null;
  const now = nowOf(ctx.deps);
  return ctx.deps.db.transaction().execute(async (tx) => {
    const article = await tx
      .selectFrom('kb_articles')
      .select('id')
      .where('workspace_id', '=', portal.id)
      .where('id', '=', id)
      .where('status', '=', 'published')
      .forUpdate()
      .executeTakeFirst();
    if (!article) throw notFoundArticle();
    const previous = sessionId
      ? await tx
          .selectFrom('kb_feedback')
          .select(['id', 'helpful', 'context'])
          .where('article_id', '=', id)
          .where('session_id', '=', sessionId)
          .executeTakeFirst()
      : undefined;
    const context = input.context;
    if (previous && previous.helpful === input.helpful) {
      return { helpful: input.helpful, context: previous.context, changed: false };
    }
    if (previous) {
      await tx
        .updateTable('kb_feedback')
        .set({ helpful: input.helpful, context, created_at: now })
        .where('id', '=', previous.id)
        .execute();
    } else {
      await tx
        .insertInto('kb_feedback')
        .values({
          id: newId(),
          workspace_id: portal.id,
          article_id: id,
          person_id: customer?.personId ?? null,
          session_id: sessionId,
          helpful: input.helpful,
          context,
          created_at: now,
        })
        .execute();
    }
    const delta = (helpful: boolean) => (input.helpful === helpful ? 1 : previous ? -1 : 0);
    await tx
      .updateTable('kb_articles')
      .set({
        helpful_yes: sql<number>`helpful_yes + ${delta(true)}`,
        helpful_no: sql<number>`helpful_no + ${delta(false)}`,
      })
      .where('id', '=', id)
      .execute();
    const auditCtx = customer
      ? customerAuditContext(ctx, customer)
      : {
          actor: { type: 'anonymous' as const, id: null, userId: null },
          workspaceId: portal.id,
          requestId: ctx.requestId,
        };
    await audit(tx, auditCtx, {
      action: previous ? 'kb_feedback.changed' : 'kb_feedback.given',
      entity: 'kb_article',
      entityId: id,
      before: previous ? { helpful: previous.helpful, context: previous.context } : undefined,
      after: { helpful: input.helpful, context },
    });
    return { helpful: input.helpful, context, changed: Boolean(previous) };
  });
}
