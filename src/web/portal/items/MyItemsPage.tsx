import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { PortalItemSummary } from '../../../shared/portal-items.ts';
import { portalKindLabels } from '../../../shared/portal-words.ts';
import { api, withQuery } from '../../app/api.ts';
import { portalApi, usePortal } from '../session.tsx';
import { Badge, Button, Card, Empty, ErrorNotice, formatDate, Loading } from '../ui.tsx';
import './items.css';

type Filter = 'all' | 'open' | 'closed';
const filters: { value: Filter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'open', label: 'Open' },
  { value: 'closed', label: 'Closed' },
];

export const portalItemsKey = ['portal-items'] as const;

export function StatusBadge({ item }: { item: Pick<PortalItemSummary, 'status' | 'statusLabel'> }) {
  const attention = item.status === 'waiting_on_customer';
  return <Badge brand={attention}>{item.statusLabel}</Badge>;
}

export function MyItemsPage() {
  const { to } = usePortal();
  const [filter, setFilter] = useState<Filter>('all');
  const list = useInfiniteQuery({
    queryKey: [...portalItemsKey, filter],
    queryFn: ({ pageParam }) =>
      api.get<{ data: PortalItemSummary[]; next: string | null }>(
        withQuery(portalApi('/items'), {
          status: filter === 'all' ? undefined : filter,
          after: pageParam,
          limit: 20,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <>
      <div className="p-spread">
        <h1>My requests</h1>
        <Link className="p-btn" to={to('/requests/new')}>
          Tell us something
        </Link>
      </div>
      <fieldset className="pi-tabs">
        <legend className="p-visually-hidden">Show</legend>
        {filters.map((option) => (
          <Button
            key={option.value}
            aria-pressed={filter === option.value}
            onClick={() => setFilter(option.value)}
          >
            {option.label}
          </Button>
        ))}
      </fieldset>
      {list.isPending ? (
        <Loading what="Loading your requests" />
      ) : list.isError ? (
        <ErrorNotice error={list.error} />
      ) : items.length === 0 ? (
        <Empty>
          {filter === 'all' ? (
            <>
              <p>You have not sent us anything yet.</p>
              <p>
                A question, a request, an idea, a complaint or praise:{' '}
                <Link to={to('/requests/new')}>tell us</Link> and a person will answer you.
              </p>
            </>
          ) : (
            <p>Nothing {filter === 'open' ? 'open' : 'closed'} right now.</p>
          )}
        </Empty>
      ) : (
        <Card>
          <ul className="p-list">
            {items.map((item) => (
              <li key={item.id}>
                <Link className="pi-item-link" to={to(`/requests/${item.id}`)}>
                  <div className="p-spread">
                    <strong>{item.subject}</strong>
                    <StatusBadge item={item} />
                  </div>
                  <div className="p-muted">
                    #{item.ref} · {portalKindLabels[item.kind]} · sent {formatDate(item.createdAt)}
                    {item.mergedInto ? ` · handled together with #${item.mergedInto.ref}` : ''}
                    {item.rating ? ` · you rated it ${item.rating}/5` : ''}
                  </div>
                </Link>
              </li>
            ))}
          </ul>
          {list.hasNextPage ? (
            <Button variant="secondary" busy={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
              Show more
            </Button>
          ) : null}
        </Card>
      )}
    </>
  );
}
