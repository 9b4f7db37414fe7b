import { z } from 'zod';
import { isoDate, uuid } from './common.ts';
import { portalSlug } from './portal.ts';

// ---- The knowledge base: shared by the server, the web apps and the tests ------------------------

export const articleStatuses = ['draft', 'published'] as const;
export type ArticleStatus = (typeof articleStatuses)[number];
export const articleStatus = z.enum(articleStatuses);

export const feedbackContexts = ['browse', 'before_submit'] as const;
export type FeedbackContext = (typeof feedbackContexts)[number];

/**
 * An article is flagged to staff when at least this many readers said it did not answer their
 * question and they outnumber those who said it did.
 */
export const flaggedMinimumNo = 3;
export function isFlagged(counts: { helpfulYes: number; helpfulNo: number }): boolean {
  return counts.helpfulNo >= flaggedMinimumNo && counts.helpfulNo > counts.helpfulYes;
}

const title = z
  .string()
  .trim()
  .min(1, 'must not be empty: give the article a title.')
  .max(300, 'must be at most 300 characters.');
const category = z
  .string()
  .trim()
  .min(1, 'must not be empty (send null for no category).')
  .max(100, 'must be at most 100 characters.');
const body = z.string().max(200_000, 'must be at most 200,000 characters.');
const searchText = z.string().trim().max(500, 'must be at most 500 characters.');
const cursor = z.string().max(200).optional().describe('The `next` cursor of the previous page.');

// ---- Customer side ----------------------------------------------------------------------------

export const portalArticlesQuery = z.strictObject({
  workspace: portalSlug
    .optional()
    .describe('The portal slug; optional when signed in or on a one-workspace server.'),
  q: searchText
    .optional()
    .describe('Words to search for; the last word also matches as a prefix ("refu" → refund).'),
  match: z
    .enum(['all', 'any'])
    .default('all')
    .describe(
      'all: every word (a search box); any: any telling word, most matches first (suggestions while writing).',
    ),
  category: category.optional(),
  after: cursor,
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type PortalArticlesQuery = z.infer<typeof portalArticlesQuery>;

export const portalArticleSummary = z.object({
  id: uuid,
  title: z.string(),
  category: z.string().nullable(),
  snippet: z
    .string()
    .describe('Plain text: the matching passage for a search, else the start of the article.'),
  updatedAt: isoDate,
});
export type PortalArticleSummary = z.infer<typeof portalArticleSummary>;

export const portalArticle = z.object({
  id: uuid,
  title: z.string(),
  category: z.string().nullable(),
  body: z.string().describe('Markdown; render it with a safe renderer.'),
  updatedAt: isoDate,
  myAnswer: z
    .boolean()
    .nullable()
    .describe("The signed-in customer's answer to “Did this answer your question?”."),
});
export type PortalArticle = z.infer<typeof portalArticle>;

export const articleCategories = z.object({
  data: z.array(z.object({ category: z.string(), count: z.number().int() })),
});
export type ArticleCategories = z.infer<typeof articleCategories>;

export const articleFeedbackInput = z.strictObject({
  helpful: z.boolean({ message: 'must be true (it answered the question) or false.' }),
  context: z.enum(feedbackContexts).default('browse'),
  /** Signed-out readers: a random id the page keeps, so that a second answer replaces the first. */
  visitorId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be 16–64 letters, digits, dashes or underscores.')
    .optional(),
});
export type ArticleFeedbackInput = z.input<typeof articleFeedbackInput>;

export const articleFeedbackResult = z.object({
  helpful: z.boolean(),
  context: z.enum(feedbackContexts),
  changed: z.boolean().describe('True when this replaced an earlier, different answer.'),
});

export const portalWorkspaceOnlyQuery = z.strictObject({ workspace: portalSlug.optional() });

// ---- Staff side -------------------------------------------------------------------------------

export const staffArticlesQuery = z.strictObject({
  status: articleStatus.optional(),
  category: category.optional(),
  q: searchText.optional(),
  flagged: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .describe('true: only flagged articles (see the rule in the docs).'),
  after: cursor,
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const staffArticle = z.object({
  id: uuid,
  title: z.string(),
  category: z.string().nullable(),
  body: z.string(),
  status: articleStatus,
  sourceItemId: uuid.nullable(),
  views: z.number().int(),
  helpfulYes: z.number().int(),
  helpfulNo: z.number().int(),
  flagged: z.boolean().describe('helpfulNo ≥ 3 and helpfulNo > helpfulYes.'),
  createdBy: uuid.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate.describe('Send it back as `updatedAt` on PATCH: a stale value gets 409.'),
  publishedAt: isoDate.nullable(),
});
export type StaffArticle = z.infer<typeof staffArticle>;

export const createArticleInput = z.strictObject({
  title,
  category: category.nullable().optional(),
  body: body.default(''),
  status: articleStatus.default('draft'),
});
export type CreateArticleInput = z.input<typeof createArticleInput>;

export const updateArticleInput = z
  .strictObject({
    updatedAt: isoDate.describe('The updatedAt you read; 409 when someone saved since.'),
    title: title.optional(),
    category: category.nullable().optional(),
    body: body.optional(),
    status: articleStatus.optional(),
  })
  .refine(
    (input) => ['title', 'category', 'body', 'status'].some((key) => key in input),
    'Send at least one of title, category, body or status.',
  );
export type UpdateArticleInput = z.input<typeof updateArticleInput>;

export const fromItemParams = z.strictObject({ itemId: uuid });

export const deflectionQuery = z.strictObject({
  from: isoDate.optional().describe('Start of the period (default: 30 days before `to`).'),
  to: isoDate.optional().describe('End of the period (default: now).'),
});

export const deflectionReport = z.object({
  from: isoDate,
  to: isoDate,
  deflected: z
    .number()
    .int()
    .describe('“Yes, it answered my question” while writing a request: contacts avoided.'),
  beforeSubmitAnswers: z
    .number()
    .int()
    .describe('All answers given to articles offered while writing a request.'),
  feedbackYes: z.number().int(),
  feedbackNo: z.number().int(),
  byArticle: z.array(
    z.object({
      articleId: uuid,
      title: z.string(),
      deflected: z.number().int(),
      feedbackYes: z.number().int(),
      feedbackNo: z.number().int(),
    }),
  ),
});
export type DeflectionReport = z.infer<typeof deflectionReport>;
