import { sql } from 'kysely';
import { AppError } from '../../../platform/errors.ts';
import { type Auth, nowOf, type RequestContext } from '../../../platform/http/context.ts';
import type { DeflectionReport } from '../../../shared/portal-articles.ts';

const day = 86_400_000;

/**
 * Deflection over a period: "yes, it answered my question" given to an article offered while the
 * customer was writing a request (context before_submit) is a contact that never reached staff.
 * An answer counts in the period of its latest change.
 */
export async function deflectionReport(
  ctx: RequestContext,
  auth: Auth,
  query: { from?: string; to?: string },
): Promise<DeflectionReport> {
  const to = query.to ? new Date(query.to) : nowOf(ctx.deps);
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * day);
  if (from > to) {
    const message = 'must be before `to`.';
    throw new AppError('validation_failed', `query.from: ${message}`, {
      errors: [{ path: 'query.from', message }],
    });
  }
  const counts = {
    deflected: sql<number>`count(*) filter (where f.context = 'before_submit' and f.helpful)::int`,
    beforeSubmit: sql<number>`count(*) filter (where f.context = 'before_submit')::int`,
    yes: sql<number>`count(*) filter (where f.helpful)::int`,
    no: sql<number>`count(*) filter (where not f.helpful)::int`,
  };
  const inPeriod = ctx.deps.db
    .selectFrom('kb_feedback as f')
    .where('f.workspace_id', '=', auth.workspaceId)
    .where('f.created_at', '>=', from)
    .where('f.created_at', '<', to);
  const [totals, byArticle] = await Promise.all([
    inPeriod
      .select([
        counts.deflected.as('deflected'),
        counts.beforeSubmit.as('before_submit'),
        counts.yes.as('yes'),
        counts.no.as('no'),
      ])
      .executeTakeFirstOrThrow(),
    inPeriod
      .innerJoin('kb_articles as a', 'a.id', 'f.article_id')
      .select(['a.id', 'a.title', counts.deflected.as('deflected'), counts.yes.as('yes'), counts.no.as('no')])
      .groupBy(['a.id', 'a.title'])
      .orderBy(sql`count(*) filter (where f.context = 'before_submit' and f.helpful)`, 'desc')
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('a.id')
      .limit(100)
      .execute(),
  ]);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    deflected: totals.deflected,
    beforeSubmitAnswers: totals.before_submit,
    feedbackYes: totals.yes,
    feedbackNo: totals.no,
    byArticle: byArticle.map((row) => ({
      articleId: row.id,
      title: row.title,
      deflected: row.deflected,
      feedbackYes: row.yes,
      feedbackNo: row.no,
    })),
  };
}
