import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { PortalItem } from '../../../shared/portal-items.ts';
import { portalKindLabels } from '../../../shared/portal-words.ts';
import { ApiError, api } from '../../app/api.ts';
import { portalApi, usePortal } from '../session.tsx';
import { Button, Card, ErrorNotice, fieldError, formatDate, Loading, Notice, TextField } from '../ui.tsx';
import { portalItemsKey, StatusBadge } from './MyItemsPage.tsx';
import './items.css';

const itemKey = (id: string) => ['portal-item', id] as const;

/** What happened so far, in plain words, oldest first. */
function Timeline({ item }: { item: PortalItem }) {
  const steps: [string, string | null][] = [
    ['You sent it', item.createdAt],
    ['We confirmed we received it', item.acknowledgedAt],
    ['We first answered', item.firstRespondedAt],
    ['Resolved', item.resolvedAt],
    ['We told you the outcome', item.informedAt],
    ['We thanked you', item.thankedAt],
    ['Closed', item.closedAt],
  ];
  const done = steps
    .filter((step): step is [string, string] => step[1] !== null)
    .sort((a, b) => a[1].localeCompare(b[1]));
  return (
    <ol className="pi-timeline">
      {done.map(([label, at]) => (
        <li key={label}>
          {label} <span className="p-muted">{formatDate(at)}</span>
        </li>
      ))}
    </ol>
  );
}

function Conversation({ item }: { item: PortalItem }) {
  const { site } = usePortal();
  if (item.messages.length === 0) return <p className="p-muted">No messages yet.</p>;
  return (
    <ul className="pi-conversation" aria-label="Conversation">
      {item.messages.map((message) => (
        <li key={message.id} className={`pi-bubble pi-${message.from}`}>
          <div className="p-muted">
            {message.from === 'customer' ? 'You' : (message.staffName ?? site.name)} ·{' '}
            {formatDate(message.createdAt)}
          </div>
          <div className="p-pre">{message.body}</div>
          {message.attachments.length > 0 ? (
            <div className="p-muted">
              Attached: {message.attachments.map((file) => file.filename).join(', ')}
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function ReplyBox({ item, onSaved }: { item: PortalItem; onSaved: (item: PortalItem) => void }) {
  const [body, setBody] = useState('');
  const reply = useMutation({
    mutationFn: () => api.post<PortalItem>(portalApi(`/items/${item.id}/messages`), { body }),
    onSuccess: (saved) => {
      setBody('');
      onSaved(saved);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reply.mutate();
  };
  const finished = item.status === 'resolved' || item.status === 'closed';
  return (
    <form onSubmit={submit} noValidate>
      <TextField
        label="Your reply"
        hint={finished ? '(replying reopens it)' : undefined}
        multiline
        rows={4}
        maxLength={20_000}
        value={body}
        onChange={(event) => setBody(event.currentTarget.value)}
        error={fieldError(reply.error, 'body.body')}
      />
      {reply.isError && !fieldError(reply.error, 'body.body') ? <ErrorNotice error={reply.error} /> : null}
      <Button type="submit" busy={reply.isPending} disabled={body.trim() === ''}>
        Send reply
      </Button>
    </form>
  );
}

function Rating({ item, onSaved }: { item: PortalItem; onSaved: (item: PortalItem) => void }) {
  const [stars, setStars] = useState<number | null>(item.rating);
  const [comment, setComment] = useState(item.ratingComment ?? '');
  const rate = useMutation({
    mutationFn: () =>
      api.post<PortalItem>(portalApi(`/items/${item.id}/rating`), {
        rating: stars,
        ...(comment.trim() ? { comment } : {}),
      }),
    onSuccess: onSaved,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (stars) rate.mutate();
  };
  return (
    <form onSubmit={submit}>
      <fieldset className="pi-stars">
        <legend>How well did we handle it?</legend>
        {[1, 2, 3, 4, 5].map((value) => (
          <button
            key={value}
            type="button"
            className="pi-star"
            aria-label={value === 1 ? '1 star' : `${value} stars`}
            aria-pressed={stars === value}
            data-on={stars !== null && value <= stars}
            onClick={() => setStars(value)}
          >
            {stars !== null && value <= stars ? '★' : '☆'}
          </button>
        ))}
      </fieldset>
      <TextField
        label="Comment"
        hint="(optional)"
        multiline
        rows={3}
        maxLength={2000}
        value={comment}
        onChange={(event) => setComment(event.currentTarget.value)}
        error={fieldError(rate.error, 'body.comment')}
      />
      {rate.isSuccess ? <Notice kind="success">Thank you for your rating.</Notice> : null}
      {rate.isError ? <ErrorNotice error={rate.error} /> : null}
      <Button type="submit" busy={rate.isPending} disabled={!stars}>
        {item.rating ? 'Change rating' : 'Save rating'}
      </Button>
    </form>
  );
}

export function ItemPage() {
  const { id = '' } = useParams();
  const { to } = usePortal();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: itemKey(id),
    queryFn: () => api.get<PortalItem>(portalApi(`/items/${id}`)),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
  const saved = (item: PortalItem) => {
    queryClient.setQueryData(itemKey(item.id), item);
    void queryClient.invalidateQueries({ queryKey: portalItemsKey });
  };

  if (query.isPending) return <Loading />;
  if (query.isError) {
    const missing =
      query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 400);
    return (
      <>
        {missing ? (
          <Notice kind="error">We could not find this request.</Notice>
        ) : (
          <ErrorNotice error={query.error} />
        )}
        <Link to={to('/requests')}>Back to my requests</Link>
      </>
    );
  }
  const item = query.data;
  return (
    <>
      <p>
        <Link to={to('/requests')}>← My requests</Link>
      </p>
      <h1 className="p-pre">{item.subject}</h1>
      <div className="p-row">
        <StatusBadge item={item} />
        <span className="p-muted">
          #{item.ref} · {portalKindLabels[item.kind]}
        </span>
      </div>
      {item.mergedInto ? (
        <Notice>
          We are handling this together with the same matter raised{' '}
          {item.mergedInto.id ? (
            <Link to={to(`/requests/${item.mergedInto.id}`)}>in #{item.mergedInto.ref}</Link>
          ) : (
            `by others (#${item.mergedInto.ref})`
          )}
          ; you follow it here.
        </Notice>
      ) : null}
      {item.status === 'waiting_on_customer' ? <Notice>We are waiting for your reply.</Notice> : null}
      {item.resolution ? (
        <Card title="Outcome">
          <p className="p-pre">{item.resolution}</p>
        </Card>
      ) : null}
      {item.body ? (
        <Card title="What you wrote">
          <p className="p-pre">{item.body}</p>
        </Card>
      ) : null}
      <Card title="Conversation">
        <Conversation item={item} />
        <ReplyBox item={item} onSaved={saved} />
      </Card>
      {item.canRate ? (
        <Card title="Rate how it was handled">
          <Rating item={item} onSaved={saved} />
        </Card>
      ) : null}
      <Card title="What happened">
        <Timeline item={item} />
      </Card>
    </>
  );
}
