import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Link } from 'react-router';
import type { IntentChannel, IntentStatus } from '../../../shared/portal.ts';
import type {
  CreateIntentInput,
  CustomerIntent,
  CustomerIntentPage,
} from '../../../shared/portal-intents.ts';
import { contactChannelLabels } from '../../../shared/portal-words.ts';
import { api } from '../../app/api.ts';
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

const intentsKey = ['portal-intents'] as const;

const channelLabel = (channel: IntentChannel) =>
  channel === 'portal' ? 'Here in the portal' : contactChannelLabels[channel];

const statusLabels: Record<IntentStatus, string> = {
  open: 'Open',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
};

function budgetText(intent: CustomerIntent): string | null {
  const format = (value: number) => value.toLocaleString(undefined, { maximumFractionDigits: 2 });
  const currency = intent.currency ? ` ${intent.currency}` : '';
  if (intent.budgetMin !== null && intent.budgetMax !== null) {
    return `${format(intent.budgetMin)}–${format(intent.budgetMax)}${currency}`;
  }
  if (intent.budgetMin !== null) return `from ${format(intent.budgetMin)}${currency}`;
  if (intent.budgetMax !== null) return `up to ${format(intent.budgetMax)}${currency}`;
  return null;
}

const today = () => new Date().toISOString().slice(0, 10);
const amountOrNull = (text: string) => (text.trim() === '' ? null : Number(text.replace(',', '.')));

function NewIntentForm({ allowedChannels }: { allowedChannels: IntentChannel[] }) {
  const queryClient = useQueryClient();
  const { to } = usePortal();
  const channelId = useId();
  const [what, setWhat] = useState('');
  const [budgetMin, setBudgetMin] = useState('');
  const [budgetMax, setBudgetMax] = useState('');
  const [currency, setCurrency] = useState('');
  const [wantedBy, setWantedBy] = useState('');
  const [channel, setChannel] = useState<IntentChannel>('portal');
  const [website, setWebsite] = useState('');
  const create = useMutation({
    mutationFn: (input: CreateIntentInput) => api.post<CustomerIntent>(portalApi('/intents'), input),
    onSuccess: async () => {
      setWhat('');
      setBudgetMin('');
      setBudgetMax('');
      setWantedBy('');
      await queryClient.invalidateQueries({ queryKey: intentsKey });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      what,
      budgetMin: amountOrNull(budgetMin),
      budgetMax: amountOrNull(budgetMax),
      currency: currency.trim() === '' ? null : currency,
      wantedBy: wantedBy === '' ? null : wantedBy,
      channel,
      ...(website ? { website } : {}),
    });
  };
  const error = create.error;
  const shownFields = [
    'body.what',
    'body.budgetMin',
    'body.budgetMax',
    'body.currency',
    'body.wantedBy',
    'body.channel',
  ];
  const otherError = error && !shownFields.some((path) => fieldError(error, path)) ? error : null;
  return (
    <Card title="What are you looking for?">
      <form className="p-stack" onSubmit={submit} noValidate>
        <TextField
          label="What you want"
          hint="(the more precise, the better the answers)"
          multiline
          rows={3}
          required
          maxLength={2000}
          value={what}
          onChange={(event) => setWhat(event.currentTarget.value)}
          error={fieldError(error, 'body.what')}
        />
        <div className="p-row">
          <TextField
            label="Budget from"
            inputMode="decimal"
            value={budgetMin}
            onChange={(event) => setBudgetMin(event.currentTarget.value)}
            error={fieldError(error, 'body.budgetMin')}
          />
          <TextField
            label="to"
            inputMode="decimal"
            value={budgetMax}
            onChange={(event) => setBudgetMax(event.currentTarget.value)}
            error={fieldError(error, 'body.budgetMax')}
          />
          <TextField
            label="Currency"
            hint="(such as EUR)"
            maxLength={3}
            size={4}
            value={currency}
            onChange={(event) => setCurrency(event.currentTarget.value.toUpperCase())}
            error={fieldError(error, 'body.currency')}
          />
        </div>
        <TextField
          label="By when"
          type="date"
          min={today()}
          value={wantedBy}
          onChange={(event) => setWantedBy(event.currentTarget.value)}
          error={fieldError(error, 'body.wantedBy')}
        />
        <div className="p-field">
          <label htmlFor={channelId}>
            <span>How to contact you</span>
          </label>
          <select
            id={channelId}
            className="p-input"
            value={channel}
            onChange={(event) => setChannel(event.currentTarget.value as IntentChannel)}
            aria-invalid={Boolean(fieldError(error, 'body.channel'))}
          >
            {allowedChannels.map((option) => (
              <option key={option} value={option}>
                {channelLabel(option)}
              </option>
            ))}
          </select>
          {fieldError(error, 'body.channel') ? (
            <div className="p-field-error">{fieldError(error, 'body.channel')}</div>
          ) : (
            <div className="p-muted">
              Only the ways your <Link to={to('/terms')}>terms</Link> allow are offered.
            </div>
          )}
        </div>
        <div className="p-honeypot" aria-hidden="true">
          <label>
            Leave this empty
            <input
              tabIndex={-1}
              autoComplete="off"
              value={website}
              onChange={(event) => setWebsite(event.currentTarget.value)}
            />
          </label>
        </div>
        {otherError ? <ErrorNotice error={otherError} /> : null}
        {create.isSuccess ? <Notice kind="success">Thank you: we will answer here.</Notice> : null}
        <Button type="submit" busy={create.isPending}>
          Tell us
        </Button>
      </form>
    </Card>
  );
}

function IntentCard({ intent }: { intent: CustomerIntent }) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: intentsKey });
  const withdraw = useMutation({
    mutationFn: () => api.post<CustomerIntent>(portalApi(`/intents/${intent.id}/withdraw`)),
    onSuccess: refresh,
  });
  const followUp = useMutation({
    mutationFn: (body: string) =>
      api.post<CustomerIntent>(portalApi(`/intents/${intent.id}/messages`), { body }),
    onSuccess: async () => {
      setMessage('');
      await refresh();
    },
  });
  const budget = budgetText(intent);
  const open = intent.status === 'open';
  return (
    <Card>
      <div className="p-spread">
        <Badge brand={open}>{statusLabels[intent.status]}</Badge>
        <span className="p-muted">{formatDate(intent.createdAt)}</span>
      </div>
      <p className="p-pre">{intent.what}</p>
      <p className="p-muted">
        {[
          budget ? `Budget ${budget}` : null,
          intent.wantedBy ? `by ${new Date(`${intent.wantedBy}T00:00:00`).toLocaleDateString()}` : null,
          `contact: ${channelLabel(intent.channel)}`,
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      {intent.messages.length > 0 ? (
        <ul className="p-list" aria-label="Conversation">
          {intent.messages.map((entry) => (
            <li key={entry.id}>
              <strong>{entry.from === 'staff' ? (entry.authorName ?? 'Staff') : 'You'}</strong>{' '}
              <span className="p-muted">{formatDate(entry.createdAt)}</span>
              <div className="p-pre">{entry.body}</div>
            </li>
          ))}
        </ul>
      ) : open ? (
        <p className="p-muted">No answer yet.</p>
      ) : null}
      {open ? (
        <form
          className="p-stack"
          onSubmit={(event) => {
            event.preventDefault();
            followUp.mutate(message);
          }}
        >
          <TextField
            label="Add a message"
            multiline
            rows={2}
            maxLength={10000}
            value={message}
            onChange={(event) => setMessage(event.currentTarget.value)}
            error={fieldError(followUp.error, 'body.body')}
          />
          {followUp.error && !fieldError(followUp.error, 'body.body') ? (
            <ErrorNotice error={followUp.error} />
          ) : null}
          <div className="p-row">
            <Button type="submit" variant="secondary" busy={followUp.isPending} disabled={!message.trim()}>
              Send
            </Button>
            <Button
              variant="danger"
              busy={withdraw.isPending}
              onClick={() => {
                if (window.confirm('Withdraw this? We will stop looking for it.')) withdraw.mutate();
              }}
            >
              Withdraw
            </Button>
          </div>
          <ErrorNotice error={withdraw.error} />
        </form>
      ) : null}
    </Card>
  );
}

/** Intentcasting: the customer says what they want to buy; staff answer here. */
export function IntentsPage() {
  const intents = useQuery({
    queryKey: intentsKey,
    queryFn: () => api.get<CustomerIntentPage>(portalApi('/intents?limit=100')),
  });
  return (
    <>
      <h1>Looking for something?</h1>
      <p>
        Tell us what you want, your budget and by when. We answer here, and only contact you the way you
        allow.
      </p>
      {intents.isPending ? <Loading /> : null}
      {intents.error ? <ErrorNotice error={intents.error} /> : null}
      {intents.data ? (
        <>
          <NewIntentForm allowedChannels={intents.data.allowedChannels} />
          <h2>What you asked for</h2>
          {intents.data.data.length === 0 ? (
            <Empty>Nothing yet. Tell us above what you are looking for.</Empty>
          ) : (
            intents.data.data.map((intent) => <IntentCard key={intent.id} intent={intent} />)
          )}
        </>
      ) : null}
    </>
  );
}
