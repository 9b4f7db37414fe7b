import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { PortalArticle } from '../../../shared/portal-articles.ts';
import { ApiError, api } from '../../app/api.ts';
import { usePortal } from '../session.tsx';
import { Badge, Card, ErrorNotice, formatDate, Loading } from '../ui.tsx';
import { FeedbackQuestion } from './feedback.tsx';
import { Markdown } from './Markdown.tsx';

export function ArticlePage() {
  const { id = '' } = useParams();
  const { publicApi, to, session, site } = usePortal();
  const article = useQuery({
    queryKey: ['portal-articles', 'one', id, session?.email ?? null],
    queryFn: () => api.get<PortalArticle>(publicApi(`/articles/${id}`)),
    retry: false,
  });
  const back = (
    <p>
      <Link to={to('/help')}>← All help articles</Link>
    </p>
  );

  if (article.isPending) return <Loading what="Opening the article" />;
  if (article.error instanceof ApiError && article.error.status === 401) {
    return (
      <Card title="Help">
        <p>Sign in to read the help articles of {site.name}.</p>
        <Link className="p-btn" to={`${to('/sign-in')}?next=${encodeURIComponent(to(`/help/${id}`))}`}>
          Sign in
        </Link>
      </Card>
    );
  }
  if (article.error instanceof ApiError && (article.error.status === 404 || article.error.status === 400)) {
    return (
      <>
        {back}
        <Card title="This article is not here">
          <p>It may have been removed or moved. Search the help, or ask us directly.</p>
          <Link className="p-btn p-secondary" to={to('/help')}>
            Search the help
          </Link>
        </Card>
      </>
    );
  }
  if (article.error) return <ErrorNotice error={article.error} />;

  const data = article.data;
  return (
    <>
      {back}
      <article className="p-card">
        <h1>{data.title}</h1>
        <p className="p-row p-muted">
          {data.category ? <Badge>{data.category}</Badge> : null}
          <span>Updated {formatDate(data.updatedAt)}</span>
        </p>
        <Markdown source={data.body} />
      </article>
      <Card>
        <FeedbackQuestion key={data.id} articleId={data.id} context="browse" initial={data.myAnswer} />
        {site.parts.items ? (
          <p className="p-muted" style={{ marginBottom: 0 }}>
            Still stuck? <Link to={to('/requests/new')}>Ask us</Link>.
          </p>
        ) : null}
      </Card>
    </>
  );
}
