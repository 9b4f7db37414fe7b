import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ArticleCategories, PortalArticleSummary } from '../../../shared/portal-articles.ts';
import { ApiError, api } from '../../app/api.ts';
import { usePortal } from '../session.tsx';
import { Badge, Button, Card, Empty, ErrorNotice, Loading, TextField } from '../ui.tsx';

interface ArticlePage {
  data: PortalArticleSummary[];
  next: string | null;
}

/** The knowledge base: search as you type, browse by category, open an article. */
export function HelpPage() {
  const { publicApi, to, site, session } = usePortal();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const category = params.get('category') ?? '';
  const [typed, setTyped] = useState(q);

  // Back and forward change the address: show its search in the box.
  useEffect(() => setTyped((current) => (current.trim() === q ? current : q)), [q]);

  // Search as the customer types, without a request per key stroke.
  useEffect(() => {
    const timer = setTimeout(() => {
      if (typed.trim() === q) return;
      const next = new URLSearchParams(params);
      if (typed.trim()) next.set('q', typed.trim());
      else next.delete('q');
      setParams(next, { replace: true });
    }, 350);
    return () => clearTimeout(timer);
  }, [typed, q, params, setParams]);

  const categories = useQuery({
    queryKey: ['portal-articles', 'categories', session?.email ?? null],
    queryFn: () => api.get<ArticleCategories>(publicApi('/articles/categories')),
    retry: false,
  });
  const articles = useInfiniteQuery({
    queryKey: ['portal-articles', 'list', q, category, session?.email ?? null],
    queryFn: ({ pageParam }) =>
      api.get<ArticlePage>(
        publicApi('/articles', { q: q || undefined, category: category || undefined, after: pageParam }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    retry: false,
  });

  const chooseCategory = (value: string) => {
    const next = new URLSearchParams(params);
    if (value && value !== category) next.set('category', value);
    else next.delete('category');
    setParams(next, { replace: true });
  };

  if (articles.error instanceof ApiError && articles.error.status === 401) {
    return (
      <Card title="Help">
        <p>Sign in to read the help articles of {site.name}.</p>
        <Link className="p-btn" to={`${to('/sign-in')}?next=${encodeURIComponent(to('/help'))}`}>
          Sign in
        </Link>
      </Card>
    );
  }

  const rows = articles.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <>
      <h1>Help</h1>
      <form aria-label="Help search" onSubmit={(event) => event.preventDefault()}>
        <TextField
          label="Search the help"
          type="search"
          value={typed}
          maxLength={200}
          placeholder="For example: refund, password, delivery"
          onChange={(event) => setTyped(event.currentTarget.value)}
        />
      </form>

      {categories.data && categories.data.data.length > 0 ? (
        <fieldset className="p-row" style={{ border: 0, padding: 0, margin: '0 0 0.75rem' }}>
          <legend className="p-visually-hidden">Categories</legend>
          <Button
            small
            variant={category ? 'secondary' : 'primary'}
            aria-pressed={!category}
            onClick={() => chooseCategory('')}
          >
            All
          </Button>
          {categories.data.data.map((row) => (
            <Button
              key={row.category}
              small
              variant={row.category === category ? 'primary' : 'secondary'}
              aria-pressed={row.category === category}
              onClick={() => chooseCategory(row.category)}
            >
              {row.category} ({row.count})
            </Button>
          ))}
        </fieldset>
      ) : null}

      <ErrorNotice error={articles.error} />
      {articles.isPending ? <Loading what="Looking for articles" /> : null}
      {!articles.isPending && !articles.error && rows.length === 0 ? (
        <Empty>
          <p>{q || category ? 'No article matches — ask us.' : 'There are no help articles yet — ask us.'}</p>
          {site.parts.items ? (
            <Link className="p-btn" to={to('/requests/new')}>
              Ask a question
            </Link>
          ) : null}
        </Empty>
      ) : null}
      {rows.length > 0 ? (
        <section className="p-card" aria-label={q ? `Articles matching ${q}` : 'Articles'}>
          <ul className="p-list">
            {rows.map((article) => (
              <li key={article.id}>
                <Link to={to(`/help/${article.id}`)} style={{ fontWeight: 600 }}>
                  {article.title}
                </Link>{' '}
                {article.category ? <Badge>{article.category}</Badge> : null}
                <div className="p-muted">{article.snippet}</div>
              </li>
            ))}
          </ul>
          {articles.hasNextPage ? (
            <Button
              variant="secondary"
              busy={articles.isFetchingNextPage}
              onClick={() => articles.fetchNextPage()}
            >
              More articles
            </Button>
          ) : null}
        </section>
      ) : null}
      {rows.length > 0 && site.parts.items ? (
        <p className="p-muted">
          Did not find it? <Link to={to('/requests/new')}>Ask us</Link>.
        </p>
      ) : null}
    </>
  );
}
