import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { BoardPage, SuggestionSort } from '../../../shared/portal-suggestions.ts';
import { type BoardStatus, boardStatuses, boardStatusLabels } from '../../../shared/portal-words.ts';
import { ApiError, api } from '../../app/api.ts';
import { usePortal } from '../session.tsx';
import { Badge, Button, Card, Empty, ErrorNotice, Loading } from '../ui.tsx';
import { boardKey, VoteButton } from './VoteButton.tsx';

const sortLabels: Record<SuggestionSort, string> = { top: 'Most votes', new: 'Newest' };

/** A row of toggle chips; the pressed one is the current choice. */
function Chips<T extends string>({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="p-row" style={{ border: 0, padding: 0, margin: 0 }}>
      <legend className="p-visually-hidden">{label}</legend>
      {options.map((option) => (
        <Button
          key={option.value}
          variant={option.value === value ? 'primary' : 'secondary'}
          aria-pressed={option.value === value}
          onClick={() => onChange(option.value)}
        >
          {option.label}
        </Button>
      ))}
    </fieldset>
  );
}

export function SuggestionsPage() {
  const { session, to, publicApi, site } = usePortal();
  const [status, setStatus] = useState<BoardStatus | 'all'>('all');
  const [sort, setSort] = useState<SuggestionSort>('top');
  const board = useInfiniteQuery({
    queryKey: [boardKey, 'list', status, sort, session?.email ?? null],
    queryFn: ({ pageParam }) =>
      api.get<BoardPage>(
        publicApi('/suggestions', { status: status === 'all' ? undefined : status, sort, after: pageParam }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });

  if (board.error instanceof ApiError && board.error.status === 401) {
    return (
      <Card title="Suggestions">
        <p>Sign in to see the suggestions of {site.name}, vote for them and comment.</p>
        <Link className="p-btn" to={`${to('/sign-in')}?next=${encodeURIComponent(to('/suggestions'))}`}>
          Sign in
        </Link>
      </Card>
    );
  }
  const suggestions = board.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <div className="p-stack">
      <h1>Suggestions</h1>
      <p className="p-muted">
        Vote for the ideas you want most; we post what we plan, do and decline, and why.
      </p>
      <Chips
        label="Status"
        value={status}
        onChange={setStatus}
        options={[
          { value: 'all', label: 'All' },
          ...boardStatuses.map((value) => ({ value, label: boardStatusLabels[value] })),
        ]}
      />
      <Chips
        label="Sort"
        value={sort}
        onChange={setSort}
        options={(['top', 'new'] as const).map((value) => ({ value, label: sortLabels[value] }))}
      />
      {board.isPending ? <Loading what="Loading suggestions" /> : null}
      <ErrorNotice error={board.error} />
      {board.isSuccess && suggestions.length === 0 ? (
        <Empty>
          {status === 'all' ? 'No suggestions on the board yet.' : 'No suggestions with this status.'}
        </Empty>
      ) : null}
      {suggestions.map((suggestion) => (
        <Card key={suggestion.id}>
          <div className="p-stack">
            <div className="p-spread">
              <Link to={to(`/suggestions/${suggestion.id}`)}>
                <strong>{suggestion.subject}</strong>
              </Link>
              <Badge brand={suggestion.status === 'planned' || suggestion.status === 'done'}>
                {suggestion.statusLabel}
              </Badge>
            </div>
            {suggestion.response ? (
              <p className="p-pre p-muted">
                {suggestion.status === 'declined' ? 'Why: ' : 'Our answer: '}
                {suggestion.response}
              </p>
            ) : null}
            <div className="p-spread">
              <VoteButton
                id={suggestion.id}
                voteCount={suggestion.voteCount}
                votedByMe={suggestion.votedByMe}
              />
              <Link to={to(`/suggestions/${suggestion.id}`)}>
                {suggestion.commentCount === 1 ? '1 comment' : `${suggestion.commentCount} comments`}
              </Link>
            </div>
          </div>
        </Card>
      ))}
      {board.hasNextPage ? (
        <Button variant="secondary" busy={board.isFetchingNextPage} onClick={() => board.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
    </div>
  );
}
