import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import type { PortalSession } from '../../shared/portal.ts';
import { api, setCsrfToken } from '../app/api.ts';
import { portalApi, sessionKey, usePortal } from './session.tsx';
import { Button, Card, ErrorNotice, fieldError, Loading, Notice, TextField } from './ui.tsx';

/** Only paths inside this portal may be returned to after sign-in. */
function safeNext(next: string | null, home: string): string {
  return next?.startsWith(`${home}/`) || next === home ? next : home;
}

export function SignInPage() {
  const portal = usePortal();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'), portal.to('/'));
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (token) return <Redeem token={token} next={next} />;
  if (portal.session) return <Navigate to={next} replace />;
  return <AskForLink />;
}

function AskForLink() {
  const portal = usePortal();
  const [email, setEmail] = useState('');
  const [website, setWebsite] = useState('');
  const send = useMutation({
    mutationFn: () =>
      api.post<{ message: string }>(portalApi('/auth/magic-link'), {
        email,
        workspace: portal.slug,
        website,
      }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate();
  };
  if (send.isSuccess) {
    return (
      <Card title="Check your mail">
        <p>{send.data.message}</p>
        <p className="p-muted">The link works once, for 15 minutes. You can close this page.</p>
        <Button variant="secondary" onClick={() => send.reset()}>
          Use another address
        </Button>
      </Card>
    );
  }
  return (
    <Card title={`Sign in to ${portal.site.title}`}>
      <p className="p-muted">No password: we email you a link that signs you in.</p>
      <form onSubmit={submit} noValidate>
        <TextField
          label="Your email"
          type="email"
          name="email"
          autoComplete="email"
          inputMode="email"
          required
          value={email}
          onChange={(event) => setEmail(event.currentTarget.value)}
          error={fieldError(send.error, 'body.email')}
        />
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
        {send.error && !fieldError(send.error, 'body.email') ? <ErrorNotice error={send.error} /> : null}
        <Button type="submit" busy={send.isPending}>
          Email me a sign-in link
        </Button>
      </form>
    </Card>
  );
}

function Redeem({ token, next }: { token: string; next: string }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const portal = usePortal();
  const started = useRef(false);
  const redeem = useMutation({
    mutationFn: () => api.post<PortalSession>(portalApi('/auth/redeem'), { token }),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.setQueryData(sessionKey, session);
      navigate(next, { replace: true });
    },
  });
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    // The token must not stay in the address bar or the history.
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    redeem.mutate();
  }, [redeem]);
  if (redeem.error) {
    return (
      <Card title="This link does not work">
        <ErrorNotice error={redeem.error} />
        <a className="p-btn" href={portal.to('/sign-in')}>
          Ask for a new link
        </a>
      </Card>
    );
  }
  return redeem.isSuccess ? <Notice kind="success">Signed in.</Notice> : <Loading what="Signing you in" />;
}
