import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { PortalArticle, PortalArticleSummary } from '../../../shared/portal-articles.ts';
import { api } from '../../app/api.ts';
import { usePortal } from '../session.tsx';
import { Loading } from '../ui.tsx';
import { FeedbackQuestion } from './feedback.tsx';
import { Markdown } from './Markdown.tsx';

/** Letters and digits typed so far: below 3 there is nothing to search for. */
const meaningful = (text: string) => text.replace(/[^\p{L}\p{N}]/gu, '').length;

function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * Shown on the new-request form while the customer types: up to three articles that might
 * answer it, each with "Did this answer your question?" (answers count as before_submit, so a
 * yes is a contact that staff never had to answer). Renders nothing without matches.
 */
export function ArticleSuggestions({ query }: { query: string }) {
  const { publicApi, site } = usePortal();
  const q = useDebounced(query.trim().slice(0, 500), 400);
  const enabled = site.parts.articles && meaningful(q) >= 3;
  const found = useQuery({
    queryKey: ['portal-articles', 'suggest', q],
    queryFn: () =>
      api.get<{ data: PortalArticleSummary[] }>(publicApi('/articles', { q, match: 'any', limit: 3 })),
    enabled,
    staleTime: 60_000,
    retry: false,
  });
  const articles = enabled ? (found.data?.data ?? []) : [];
  if (articles.length === 0) return null;
  return (
    <section className="p-card" aria-label="Articles that might answer your question">
      <h2 style={{ marginTop: 0 }}>These might answer it:</h2>
      <ul className="p-list">
        {articles.map((article) => (
          <li key={article.id}>
            <SuggestedArticle summary={article} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function SuggestedArticle({ summary }: { summary: PortalArticleSummary }) {
  const { publicApi } = usePortal();
  const [open, setOpen] = useState(false);
  const full = useQuery({
    queryKey: ['portal-articles', 'one', summary.id],
    queryFn: () => api.get<PortalArticle>(publicApi(`/articles/${summary.id}`)),
    enabled: open,
  });
  return (
    <details onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary style={{ cursor: 'pointer', minHeight: 44, display: 'flex', alignItems: 'center', gap: 8 }}>
        <span>
          <strong>{summary.title}</strong>
          {open ? null : (
            <span className="p-muted" style={{ display: 'block' }}>
              {summary.snippet}
            </span>
          )}
        </span>
      </summary>
      {full.isPending ? <Loading what="Opening the article" /> : null}
      {full.isError ? <p className="p-muted">This article could not be opened.</p> : null}
      {full.data ? (
        <div className="p-stack">
          <Markdown source={full.data.body} />
          <FeedbackQuestion
            articleId={summary.id}
            context="before_submit"
            initial={full.data.myAnswer}
            thanksYes="Glad it helped — you don't need to send anything."
            thanksNo="Sorry it didn't help. Go on and send your request: we will answer it."
          />
        </div>
      ) : null}
    </details>
  );
}
