import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import type { Terms, TermsRecord } from '../../../shared/portal.ts';
import type { TermsHistory } from '../../../shared/portal-terms.ts';
import {
  type ContactFrequency,
  contactChannelLabels,
  contactChannels,
  contactFrequencies,
  contactFrequencyLabels,
  contactPurposeLabels,
  contactPurposes,
} from '../../../shared/portal-words.ts';
import { api } from '../../app/api.ts';
import { portalApi, usePortal } from '../session.tsx';
import { Button, Card, Checkbox, ErrorNotice, formatDate, Loading, Notice } from '../ui.tsx';

const termsKey = ['portal-terms'] as const;
const purposesWithFrequency = ['product_news', 'marketing', 'research'] as const;
const historyKey = ['portal-terms-history'] as const;

function FrequencySelect({
  label,
  value,
  disabled,
  onChange,
}: {
  label: string;
  value: ContactFrequency;
  disabled: boolean;
  onChange: (value: ContactFrequency) => void;
}) {
  const id = useId();
  return (
    <div className="p-field">
      <label htmlFor={id}>
        <span>{label}</span>
      </label>
      <select
        id={id}
        className="p-input"
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.currentTarget.value as ContactFrequency)}
      >
        {contactFrequencies.map((frequency) => (
          <option key={frequency} value={frequency}>
            {contactFrequencyLabels[frequency]}
          </option>
        ))}
      </select>
      {disabled ? <div className="p-muted">Not allowed above, so never sent.</div> : null}
    </div>
  );
}

/** One line per version: what was allowed, in words. */
function summary(terms: Terms): string {
  const channels = contactChannels
    .filter((channel) => terms.channels[channel])
    .map((c) => contactChannelLabels[c]);
  const purposes = contactPurposes
    .filter((purpose) => terms.purposes[purpose])
    .map((purpose) => (purpose === 'service' ? 'service' : contactPurposeLabels[purpose].toLowerCase()));
  return (
    `By ${channels.length > 0 ? channels.join(', ') : 'no channel'}; ` +
    `for ${purposes.length > 0 ? purposes.join(', ') : 'nothing'}; ` +
    `sharing ${terms.shareWithThirdParties ? 'allowed' : 'refused'}.`
  );
}

function History() {
  const history = useQuery({
    queryKey: historyKey,
    queryFn: () => api.get<TermsHistory>(portalApi('/me/terms/history')),
  });
  if (history.isPending) return <Loading what="Loading the history" />;
  if (history.error) return <ErrorNotice error={history.error} />;
  if (history.data.data.length === 0) {
    return <p className="p-muted">You have not set terms yet: the defaults above apply.</p>;
  }
  return (
    <ul className="p-list">
      {history.data.data.map((entry) => (
        <li key={entry.version}>
          <strong>Version {entry.version}</strong>{' '}
          <span className="p-muted">
            {formatDate(entry.setAt)} · set by {entry.setBy === 'customer' ? 'you' : 'staff'}
          </span>
          <div>{summary(entry.terms)}</div>
        </li>
      ))}
    </ul>
  );
}

function TermsForm({ record }: { record: TermsRecord }) {
  const queryClient = useQueryClient();
  const [terms, setTerms] = useState<Terms>(record.terms);
  const [saved, setSaved] = useState<TermsRecord | null>(null);
  useEffect(() => setTerms(record.terms), [record]);
  const save = useMutation({
    mutationFn: () => api.put<TermsRecord>(portalApi('/me/terms'), { terms, version: record.version }),
    onSuccess: (result) => {
      setSaved(result);
      queryClient.setQueryData(termsKey, result);
      void queryClient.invalidateQueries({ queryKey: historyKey });
    },
  });
  const set = <K extends keyof Terms>(key: K, value: Terms[K]) => {
    setSaved(null);
    setTerms((current) => ({ ...current, [key]: value }));
  };
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <Card title="How may we contact you?">
        <fieldset className="p-stack" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="p-muted">Tick every way you accept. We never use the others.</legend>
          {contactChannels.map((channel) => (
            <Checkbox
              key={channel}
              label={contactChannelLabels[channel]}
              checked={terms.channels[channel]}
              onChange={(checked) => set('channels', { ...terms.channels, [channel]: checked })}
            />
          ))}
        </fieldset>
      </Card>
      <Card title="What for?">
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="p-muted">
            Service means answers to what you asked us and messages about your own requests. Without it we
            cannot answer you by the channels above.
          </legend>
          {contactPurposes.map((purpose) => (
            <Checkbox
              key={purpose}
              label={contactPurposeLabels[purpose]}
              checked={terms.purposes[purpose]}
              onChange={(checked) => set('purposes', { ...terms.purposes, [purpose]: checked })}
            />
          ))}
        </fieldset>
      </Card>
      <Card title="How often at most?">
        <p className="p-muted">Service messages are never limited: they answer you.</p>
        {purposesWithFrequency.map((purpose) => (
          <FrequencySelect
            key={purpose}
            label={contactPurposeLabels[purpose]}
            value={terms.frequency[purpose]}
            disabled={!terms.purposes[purpose]}
            onChange={(value) => set('frequency', { ...terms.frequency, [purpose]: value })}
          />
        ))}
      </Card>
      <Card title="May we share your data with third parties?">
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="p-visually-hidden">Sharing with third parties</legend>
          {[
            { value: false, label: 'No, keep my data with you' },
            { value: true, label: 'Yes, you may share it' },
          ].map((option) => (
            <label key={String(option.value)} className="p-check">
              <input
                type="radio"
                name="share"
                checked={terms.shareWithThirdParties === option.value}
                onChange={() => set('shareWithThirdParties', option.value)}
              />
              <span>{option.label}</span>
            </label>
          ))}
        </fieldset>
      </Card>
      <div className="p-stack">
        <ErrorNotice error={save.error} />
        {saved ? (
          <Notice kind="success">
            Saved — version {saved.version}, {formatDate(saved.setAt)}
          </Notice>
        ) : null}
        <Button type="submit" busy={save.isPending}>
          Save my terms
        </Button>
      </div>
    </form>
  );
}

/** The customer sets the terms of the relationship; the company follows them. */
export function TermsPage() {
  const { site } = usePortal();
  const current = useQuery({
    queryKey: termsKey,
    queryFn: () => api.get<TermsRecord>(portalApi('/me/terms')),
  });
  return (
    <div className="p-stack">
      <h1>My terms</h1>
      <p>
        You decide how {site.name} may contact you, for what, how often, and whether your data may be shared.
        Every message sent through {site.name}'s system is checked against these terms.
      </p>
      {current.isPending ? <Loading what="Loading your terms" /> : null}
      {current.error ? <ErrorNotice error={current.error} /> : null}
      {current.data ? (
        <>
          <p className="p-muted">
            {current.data.version === 0
              ? 'You have not set terms yet: these are the defaults (service messages only).'
              : `Version ${current.data.version}, set ${formatDate(current.data.setAt)}${current.data.setBy === 'staff' ? ' by staff' : ''}.`}
          </p>
          <TermsForm record={current.data} />
        </>
      ) : null}
      <Card title="History">
        <History />
      </Card>
      <Card title="Take your terms with you">
        <p className="p-muted">
          A JSON agreement record: you are the first party proffering these terms, {site.name} the second
          party agreeing to them (in the spirit of IEEE 7012, machine-readable personal privacy terms).
        </p>
        <a className="p-btn p-secondary" href={portalApi('/me/terms/agreement')} download="my-terms.json">
          Download my terms (machine-readable)
        </a>
      </Card>
    </div>
  );
}
