import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import type { ItemKind } from '../../../shared/listening.ts';
import type { PortalItem, PortalItemInput } from '../../../shared/portal-items.ts';
import { portalKindChoices } from '../../../shared/portal-words.ts';
import { api } from '../../app/api.ts';
import { ArticleSuggestions } from '../help/ArticleSuggestions.tsx';
import { portalApi, usePortal } from '../session.tsx';
import { Button, Card, ErrorNotice, fieldError, Notice, TextField } from '../ui.tsx';
import { portalItemsKey } from './MyItemsPage.tsx';
import './items.css';

/** Kinds where a help article may answer before anyone has to. */
const answerableKinds: readonly ItemKind[] = ['question', 'request'];

function KindChoice({
  value,
  onChange,
  error,
}: {
  value: ItemKind | null;
  onChange: (kind: ItemKind) => void;
  error: string | null;
}) {
  const id = useId();
  return (
    <fieldset className="pi-kinds" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>What is it?</legend>
      {portalKindChoices.map((choice) => (
        <label key={choice.kind} className="pi-kind">
          <input
            type="radio"
            name="kind"
            value={choice.kind}
            checked={value === choice.kind}
            onChange={() => onChange(choice.kind)}
            aria-labelledby={`${id}-${choice.kind}`}
            aria-describedby={`${id}-${choice.kind}-hint`}
          />
          <span>
            <strong id={`${id}-${choice.kind}`}>{choice.label}</strong>
            <span className="p-muted" id={`${id}-${choice.kind}-hint`}>
              {choice.hint}
            </span>
          </span>
        </label>
      ))}
      {error ? (
        <div className="p-field-error" id={`${id}-error`}>
          {error}
        </div>
      ) : null}
    </fieldset>
  );
}

export function NewItemPage() {
  const { to } = usePortal();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<ItemKind | null>(null);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [website, setWebsite] = useState('');
  const [missingKind, setMissingKind] = useState(false);
  const [received, setReceived] = useState(false);

  const send = useMutation({
    mutationFn: (input: PortalItemInput) =>
      api.post<PortalItem | { received: true }>(portalApi('/items'), input),
    onSuccess: async (answer) => {
      await queryClient.invalidateQueries({ queryKey: portalItemsKey });
      if ('id' in answer) {
        queryClient.setQueryData(['portal-item', answer.id], answer);
        navigate(to(`/requests/${answer.id}`));
      } else {
        setReceived(true);
      }
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!kind) {
      setMissingKind(true);
      return;
    }
    send.mutate({ kind, subject, body, ...(website ? { website } : {}) });
  };

  if (received) {
    return <Notice kind="success">Thank you, we received it.</Notice>;
  }
  const kindError = missingKind && !kind ? 'Choose what it is.' : fieldError(send.error, 'body.kind');
  return (
    <>
      <h1>Tell us something</h1>
      <p className="p-muted">A person reads it, answers you by email and here, and tells you the outcome.</p>
      <Card>
        <form onSubmit={submit} noValidate>
          <KindChoice value={kind} onChange={setKind} error={kindError} />
          <TextField
            label="Subject"
            value={subject}
            maxLength={200}
            required
            autoComplete="off"
            onChange={(event) => setSubject(event.currentTarget.value)}
            error={fieldError(send.error, 'body.subject')}
          />
          <TextField
            label="Details"
            multiline
            value={body}
            maxLength={20_000}
            rows={6}
            onChange={(event) => setBody(event.currentTarget.value)}
            error={fieldError(send.error, 'body.body')}
          />
          <div className="p-honeypot" aria-hidden="true">
            <label>
              Leave this field empty
              <input
                type="text"
                name="website"
                tabIndex={-1}
                autoComplete="off"
                value={website}
                onChange={(event) => setWebsite(event.currentTarget.value)}
              />
            </label>
          </div>
          {kind && answerableKinds.includes(kind) ? (
            <ArticleSuggestions query={`${subject} ${body}`} />
          ) : null}
          {send.isError && !fieldError(send.error, 'body.subject') ? (
            <ErrorNotice error={send.error} />
          ) : null}
          <Button type="submit" busy={send.isPending}>
            Send
          </Button>
        </form>
      </Card>
    </>
  );
}
