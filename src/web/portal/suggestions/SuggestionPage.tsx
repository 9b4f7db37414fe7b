import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import type { BoardSuggestionDetail, SuggestionComment } from '../../../shared/portal-suggestions.ts';
import { ApiError, api } from '../../app/api.ts';
import { portalApi, usePortal } from '../session.tsx';
import {
  Badge,
  Button,
  Card,
  Empty,
  ErrorNotice,
  fieldError,
  formatDate,
  Loading,
  Notice,
  TextField,
} from '../ui.tsx';
import { boardKey, VoteButton } from './VoteButton.tsx';

function CommentForm({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [website, setWebsite] = useState('');
  const send = useMutation({
    mutationFn: () =>
      api.post<SuggestionComment>(portalApi(`/suggestions/${id}/comments`), {
        body,
        ...(website ? { website } : {}),
      }),
    onSuccess: async () => {
      setBody('');
      await queryClient.invalidateQueries({ queryKey: [boardKey] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <TextField
        multiline
        label="Add a comment"
        hint="Shown with your first name only."
        value={body}
        maxLength={5000}
        required
        onChange={(event) => setBody(event.currentTarget.value)}
        error={fieldError(send.error, 'body.body')}
      />
      <div className="p-honeypot" aria-hidden="true">
        <label>
          Leave this empty
          <input
            tabIndex={-1}
            autoComplete="off"
            value={website}
            onChange={(e) => setWebsite(e.currentTarget.value)}
          />
        </label>
      </div>
      {send.error && !fieldError(send.error, 'body.body') ? <ErrorNotice error={send.error} /> : null}
      {send.isSuccess ? <Notice kind="success">Thank you, your comment is posted.</Notice> : null}
      <Button type="submit" busy={send.isPending} disabled={!body.trim()}>
        Post comment
      </Button>
    </form>
  );
}

export function SuggestionPage() {
  const { id = '' } = useParams();
  const { session, to, publicApi } = usePortal();
  const location = useLocation();
  const suggestion = useQuery({
    queryKey: [boardKey, 'detail', id, session?.email ?? null],
    queryFn: () => api.get<BoardSuggestionDetail>(publicApi(`/suggestions/${id}`)),
  });
  const back = <Link to={to('/suggestions')}>← All suggestions</Link>;
  if (suggestion.isPending) return <Loading what="Loading the suggestion" />;
  if (suggestion.error instanceof ApiError && suggestion.error.status === 401) {
    return (
      <Card title="Suggestions">
        <p>Sign in to see this suggestion, vote for it and comment.</p>
        <Link className="p-btn" to={`${to('/sign-in')}?next=${encodeURIComponent(location.pathname)}`}>
          Sign in
        </Link>
      </Card>
    );
  }
  if (suggestion.error instanceof ApiError && suggestion.error.status === 404) {
    return (
      <div className="p-stack">
        {back}
        <Empty>
          This suggestion is not on the board (any more). It may have been merged with another one.
        </Empty>
      </div>
    );
  }
  if (suggestion.isError) return <ErrorNotice error={suggestion.error} />;
  const data = suggestion.data;
  return (
    <div className="p-stack">
      {back}
      <div className="p-spread">
        <h1>{data.subject}</h1>
        <Badge brand={data.status === 'planned' || data.status === 'done'}>{data.statusLabel}</Badge>
      </div>
      <p className="p-muted">
        #{data.ref} · suggested {formatDate(data.createdAt)}
        {data.statusChangedAt
          ? ` · ${data.statusLabel.toLowerCase()} since ${formatDate(data.statusChangedAt)}`
          : ''}
      </p>
      {data.body ? <p className="p-pre">{data.body}</p> : null}
      {data.response ? (
        <Card title={data.status === 'declined' ? 'Why we declined it' : 'Our answer'}>
          <p className="p-pre">{data.response}</p>
        </Card>
      ) : null}
      <VoteButton id={data.id} voteCount={data.voteCount} votedByMe={data.votedByMe} />
      <Card title={`Comments (${data.comments.length})`}>
        {data.comments.length === 0 ? <p className="p-muted">No comments yet.</p> : null}
        <ul className="p-list">
          {data.comments.map((comment) => (
            <li key={comment.id}>
              <div className="p-row">
                <strong>{comment.author}</strong>
                {comment.byStaff ? <Badge brand>Staff</Badge> : null}
                <span className="p-muted">{formatDate(comment.createdAt)}</span>
              </div>
              <p className="p-pre">{comment.body}</p>
            </li>
          ))}
        </ul>
        {session ? (
          <CommentForm id={data.id} />
        ) : (
          <Link to={`${to('/sign-in')}?next=${encodeURIComponent(location.pathname)}`}>
            Sign in to comment
          </Link>
        )}
      </Card>
    </div>
  );
}
