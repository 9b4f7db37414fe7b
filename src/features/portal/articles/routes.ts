import { requireAuth } from '../../../platform/http/context.ts';
import { defineRoute, type Route } from '../../../platform/http/route.ts';
import { idParams, page } from '../../../shared/common.ts';
import {
  articleCategories,
  articleFeedbackInput,
  articleFeedbackResult,
  createArticleInput,
  deflectionQuery,
  deflectionReport,
  fromItemParams,
  portalArticle,
  portalArticleSummary,
  portalArticlesQuery,
  portalWorkspaceOnlyQuery,
  staffArticle,
  staffArticlesQuery,
  updateArticleInput,
} from '../../../shared/portal-articles.ts';
import { deflectionReport as buildDeflectionReport } from './deflection.ts';
import { articleFromItem } from './from-item.ts';
import {
  listPortalArticles,
  listPortalCategories,
  readPortalArticle,
  recordFeedback,
} from './portal-service.ts';
import { createArticle, deleteArticle, getArticle, listArticles, updateArticle } from './staff-service.ts';

const tag = 'portal';
const base = '/portal/api/v1/articles';
const readable =
  'Signed-out readers need the portal setting "public articles" (on by default), else 401; 404 when the ' +
  'knowledge base is turned off.';

/** Customer side: GET /articles?q=, GET /articles/:id, POST /articles/:id/feedback. */
export const portalArticleRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: base,
    audience: 'portal',
    permission: 'public',
    optionalAuth: true,
    tag,
    summary: 'Published help articles: alphabetical, or the best matches for a search',
    description:
      `With q: a full-text search (title matches rank first; the last word also matches as a prefix), one page of at most ` +
      `\`limit\` results. Without q: alphabetical, paged with \`after\`. ${readable}`,
    query: portalArticlesQuery,
    response: page(portalArticleSummary),
    handler: async ({ query, ctx }) => listPortalArticles(ctx, query),
  }),
  defineRoute({
    method: 'GET',
    url: `${base}/categories`,
    audience: 'portal',
    permission: 'public',
    optionalAuth: true,
    tag,
    summary: 'The categories of published articles, with how many each has',
    description: readable,
    query: portalWorkspaceOnlyQuery,
    response: articleCategories,
    handler: async ({ query, ctx }) => listPortalCategories(ctx, query.workspace),
  }),
  defineRoute({
    method: 'GET',
    url: `${base}/:id`,
    audience: 'portal',
    permission: 'public',
    optionalAuth: true,
    tag,
    summary: 'One published article (Markdown); counts a view',
    description: `Drafts and other portals' articles are 404. ${readable}`,
    params: idParams,
    query: portalWorkspaceOnlyQuery,
    response: portalArticle,
    handler: async ({ params, query, ctx }) => readPortalArticle(ctx, query.workspace, params.id),
  }),
  defineRoute({
    method: 'POST',
    url: `${base}/:id/feedback`,
    audience: 'portal',
    permission: 'public',
    optionalAuth: true,
    tag,
    summary: '“Did this answer your question?” yes or no',
    description:
      'One answer per reader and article (the portal session, or signed out the `visitorId` the page keeps); ' +
      'a different second answer replaces the first. context before_submit (the article was offered while ' +
      'writing a request) with helpful true counts as a deflected contact. Rate-limited per session or IP (429).',
    params: idParams,
    query: portalWorkspaceOnlyQuery,
    body: articleFeedbackInput,
    response: articleFeedbackResult,
    handler: async ({ params, query, body, ctx }) => recordFeedback(ctx, query.workspace, params.id, body),
  }),
];

const staffBase = '/api/v1/portal/articles';

/** Staff side: /api/v1/portal/articles. */
export const articleRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: staffBase,
    permission: 'portal.read',
    tag,
    summary: 'Knowledge-base articles, last changed first, with views, answers and the flagged mark',
    description:
      'Flagged: at least 3 readers said "no, it did not answer my question" and they outnumber the "yes". ' +
      'Filters: status, category, q (full text), flagged=true|false.',
    query: staffArticlesQuery,
    response: page(staffArticle),
    handler: async ({ query, ctx }) => listArticles(ctx, requireAuth(ctx), query),
  }),
  defineRoute({
    method: 'POST',
    url: staffBase,
    permission: 'portal.content',
    tag,
    summary: 'Write an article (a draft unless status is published)',
    body: createArticleInput,
    status: 201,
    response: staffArticle,
    handler: async ({ body, ctx, reply }) => {
      const created = await createArticle(ctx, requireAuth(ctx), body);
      reply.header('Location', `${staffBase}/${created.id}`);
      return created;
    },
  }),
  defineRoute({
    method: 'POST',
    url: `${staffBase}/from-item/:itemId`,
    permission: 'portal.content',
    tag,
    summary: 'A draft article from a resolved or closed item (409 otherwise), without the customer’s data',
    description:
      'Title: the subject. Body: the question and the resolution (else the last reply sent). The customer’s ' +
      'names, email addresses and anything shaped like an email or a phone number are left out.',
    params: fromItemParams,
    status: 201,
    response: staffArticle,
    handler: async ({ params, ctx, reply }) => {
      const created = await articleFromItem(ctx, requireAuth(ctx), params.itemId);
      reply.header('Location', `${staffBase}/${created.id}`);
      return created;
    },
  }),
  defineRoute({
    method: 'GET',
    url: `${staffBase}/:id`,
    permission: 'portal.read',
    tag,
    summary: 'One article',
    params: idParams,
    response: staffArticle,
    handler: async ({ params, ctx }) => getArticle(ctx, requireAuth(ctx), params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: `${staffBase}/:id`,
    permission: 'portal.content',
    tag,
    summary: 'Change the title, category, body or status; send the updatedAt you read (409 when stale)',
    params: idParams,
    body: updateArticleInput,
    response: staffArticle,
    handler: async ({ params, body, ctx }) => updateArticle(ctx, requireAuth(ctx), params.id, body),
  }),
  defineRoute({
    method: 'DELETE',
    url: `${staffBase}/:id`,
    permission: 'portal.content',
    tag,
    summary: 'Delete an article and its answers (audited)',
    params: idParams,
    status: 204,
    response: null,
    handler: async ({ params, ctx }) => deleteArticle(ctx, requireAuth(ctx), params.id),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/portal/deflection',
    permission: 'portal.read',
    tag,
    summary: 'Questions answered without staff over a period (default: the last 30 days), per article',
    description:
      'deflected: "yes, it answered my question" to an article offered while writing a request. Also all ' +
      'answers given, yes and no.',
    query: deflectionQuery,
    response: deflectionReport,
    handler: async ({ query, ctx }) => buildDeflectionReport(ctx, requireAuth(ctx), query),
  }),
];
