import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ErasureStatus } from '../../../shared/portal.ts';
import type { CustomerErasureRequest } from '../../../shared/portal-erasure.ts';
import { api } from '../../app/api.ts';
import { portalApi, usePortal } from '../session.tsx';
import { Badge, Button, Card, ErrorNotice, fieldError, Loading, Notice, TextField } from '../ui.tsx';

const erasureKey = ['portal-erasure'] as const;
const confirmWord = 'ERASE';

const longDate = (value: string) =>
  new Date(value).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });

const statusLabels: Record<ErasureStatus, string> = {
  requested: 'Waiting for a decision',
  approved: 'Approved, in progress',
  rejected: 'Not done',
  done: 'Done',
};

function RequestStatus({ request }: { request: CustomerErasureRequest }) {
  return (
    <div className="p-stack">
      <p>
        <Badge brand={request.status === 'done'}>{statusLabels[request.status]}</Badge>{' '}
        <span className="p-muted">asked on {longDate(request.requestedAt)}</span>
      </p>
      {request.status === 'requested' || request.status === 'approved' ? (
        <p>We will do it by {longDate(request.dueAt)}. We will tell you by email when it is done.</p>
      ) : null}
      {request.status === 'done' && request.completedAt ? (
        <p>Erased on {longDate(request.completedAt)}. We keep only a record that you asked, as proof.</p>
      ) : null}
      {request.status === 'rejected' ? (
        <>
          <p>We could not erase your data. The reason we gave:</p>
          <p className="p-pre">{request.decisionNote}</p>
        </>
      ) : null}
    </div>
  );
}

function AskForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const ask = useMutation({
    mutationFn: () =>
      api.post<CustomerErasureRequest>(
        portalApi('/me/erasure'),
        reason.trim() ? { reason: reason.trim() } : {},
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: erasureKey });
      onDone();
    },
  });
  if (!confirming) {
    return (
      <Button variant="danger" onClick={() => setConfirming(true)}>
        Ask for erasure
      </Button>
    );
  }
  return (
    <form
      className="p-stack"
      onSubmit={(event) => {
        event.preventDefault();
        if (typed.trim().toUpperCase() === confirmWord) ask.mutate();
      }}
    >
      <TextField
        label="Why (optional)"
        hint="Staff read it; it is erased with the rest."
        multiline
        rows={3}
        maxLength={2000}
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
        error={fieldError(ask.error, 'body.reason')}
      />
      <TextField
        label={`Type ${confirmWord} to confirm`}
        hint="Erasure cannot be undone."
        autoComplete="off"
        value={typed}
        onChange={(event) => setTyped(event.currentTarget.value)}
      />
      <ErrorNotice error={ask.error} />
      <div className="p-row">
        <Button
          type="submit"
          variant="danger"
          busy={ask.isPending}
          disabled={typed.trim().toUpperCase() !== confirmWord}
        >
          Erase my data
        </Button>
        <Button variant="secondary" onClick={() => setConfirming(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** "Erase my data", at the end of My data: what erasure means, the request and its status. */
export function ErasureSection() {
  const { site } = usePortal();
  const [justAsked, setJustAsked] = useState(false);
  const requests = useQuery({
    queryKey: erasureKey,
    queryFn: () => api.get<{ data: CustomerErasureRequest[] }>(portalApi('/me/erasure')),
  });
  const latest = requests.data?.data[0];
  const open = latest && (latest.status === 'requested' || latest.status === 'approved');
  return (
    <Card title="Erase my data">
      <div className="p-stack">
        <p>
          You can ask {site.title} to erase your personal data. Your name, email addresses, phone numbers,
          addresses and everything you wrote to us are then removed everywhere. What cannot identify you
          stays, so that our counts (how many requests we had, for example) remain right. A staff member
          decides within {site.erasureDays} days and we tell you by email when it is done. You cannot undo it.
        </p>
        {requests.isPending ? <Loading what="Loading your requests" /> : null}
        <ErrorNotice error={requests.error} />
        {justAsked && open ? <Notice kind="success">We have your request.</Notice> : null}
        {latest ? <RequestStatus request={latest} /> : null}
        {requests.data && !open && latest?.status !== 'done' ? (
          <AskForm onDone={() => setJustAsked(true)} />
        ) : null}
      </div>
    </Card>
  );
}
