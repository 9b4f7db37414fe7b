import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { MyContact, MyData, PortalMeUpdateInput } from '../../../shared/portal-me.ts';
import { ApiError, api } from '../../app/api.ts';
import { portalApi } from '../session.tsx';
import { Button, ErrorNotice, fieldError, Notice, TextField } from '../ui.tsx';

export const myDataKey = ['portal-me'] as const;

// portal.css belongs to the portal shell; these few layout rules stay with the form.
const fieldsetStyle = { border: 0, padding: 0, margin: '0 0 1.25rem', minWidth: 0 } as const;
const legendStyle = { fontWeight: 700, padding: 0, marginBottom: '0.5rem' } as const;
const lineStyle = {
  borderLeft: '3px solid var(--border)',
  paddingLeft: '0.75rem',
  marginBottom: '0.75rem',
} as const;

interface Row {
  value: string;
  label: string;
}
interface AddressRow {
  street: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}
interface Draft {
  givenName: string;
  familyName: string;
  nickname: string;
  pronouns: string;
  jobTitle: string;
  birthday: string;
  emails: Row[];
  phones: Row[];
  addresses: AddressRow[];
}

const blankRow: Row = { value: '', label: '' };
const blankAddress: AddressRow = { street: '', city: '', region: '', postalCode: '', country: '' };

function draftOf(data: MyData): Draft {
  const person = data.person;
  const rows = (items: { value: string; label: string | null }[]) =>
    items.map((item) => ({ value: item.value, label: item.label ?? '' }));
  const emails = person ? rows(person.emails) : [{ value: data.email, label: '' }];
  const phones = person ? rows(person.phones) : [];
  return {
    givenName: person?.givenName ?? '',
    familyName: person?.familyName ?? '',
    nickname: person?.nickname ?? '',
    pronouns: person?.pronouns ?? '',
    jobTitle: person?.jobTitle ?? '',
    birthday: person?.birthday ?? '',
    emails: emails.length ? emails : [{ ...blankRow }],
    // One empty phone line to fill in, so that adding a number needs no extra click.
    phones: phones.length ? phones : [{ ...blankRow }],
    addresses: (person?.addresses ?? []).map((address) => ({
      street: address.street ?? '',
      city: address.city ?? '',
      region: address.region ?? '',
      postalCode: address.postalCode ?? '',
      country: address.country ?? '',
    })),
  };
}

/** The payload, without blank lines; `sent[i]` is the form line of payload line i (for errors). */
function payloadOf(draft: Draft, version: number | undefined) {
  const keep = <T,>(items: T[], filled: (item: T) => boolean) => {
    const lines = items.map((item, index) => ({ item, index })).filter(({ item }) => filled(item));
    return { items: lines.map(({ item }) => item), lines: lines.map(({ index }) => index) };
  };
  const emails = keep(draft.emails, (row) => row.value.trim() !== '');
  const phones = keep(draft.phones, (row) => row.value.trim() !== '');
  const addresses = keep(draft.addresses, (row) => Object.values(row).some((part) => part.trim() !== ''));
  const nullable = (value: string) => (value.trim() === '' ? null : value);
  const body: PortalMeUpdateInput = {
    givenName: nullable(draft.givenName),
    familyName: nullable(draft.familyName),
    nickname: nullable(draft.nickname),
    pronouns: nullable(draft.pronouns),
    jobTitle: nullable(draft.jobTitle),
    birthday: nullable(draft.birthday),
    emails: emails.items.map((row) => ({ value: row.value, label: nullable(row.label) })),
    phones: phones.items.map((row) => ({ value: row.value, label: nullable(row.label) })),
    addresses: addresses.items.map((row) => ({
      street: nullable(row.street),
      city: nullable(row.city),
      region: nullable(row.region),
      postalCode: nullable(row.postalCode),
      country: nullable(row.country),
    })),
    ...(version === undefined ? {} : { version }),
  };
  return { body, lines: { emails: emails.lines, phones: phones.lines, addresses: addresses.lines } };
}

type ListName = 'emails' | 'phones' | 'addresses';

export function EditDetailsForm({ data }: { data: MyData }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(data));
  const [lines, setLines] = useState<Record<ListName, number[]>>({ emails: [], phones: [], addresses: [] });
  const save = useMutation({
    mutationFn: (body: PortalMeUpdateInput) => api.patch<MyContact>(portalApi('/me'), body),
    onSuccess: (person) => {
      queryClient.setQueryData<MyData>(myDataKey, (old) => (old ? { ...old, person } : old));
      void queryClient.invalidateQueries({ queryKey: myDataKey });
      setDraft(draftOf({ ...data, person }));
    },
  });
  const set = (key: keyof Omit<Draft, ListName>) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setDraft((old) => ({ ...old, [key]: value }));
  };
  const setLine = <K extends ListName>(list: K, index: number, change: Partial<Draft[K][number]>) =>
    setDraft((old) => ({
      ...old,
      [list]: old[list].map((item, i) => (i === index ? { ...item, ...change } : item)),
    }));
  const addLine = (list: ListName) =>
    setDraft((old) => ({
      ...old,
      [list]: [...old[list], list === 'addresses' ? { ...blankAddress } : { ...blankRow }],
    }));
  const removeLine = (list: ListName, index: number) =>
    setDraft((old) => ({ ...old, [list]: old[list].filter((_, i) => i !== index) }));

  /** The server's message for a line of a list, mapped back from the payload's index. */
  const lineError = (list: ListName, index: number, part?: string) => {
    const sent = lines[list].indexOf(index);
    if (sent === -1) return null;
    return fieldError(save.error, `body.${list}.${sent}${part ? `.${part}` : ''}`);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { body, lines: sentLines } = payloadOf(draft, data.person?.version);
    setLines(sentLines);
    save.mutate(body);
  };
  const stale = save.error instanceof ApiError && save.error.status === 409;
  /** After a 409: the latest details replace the form (the customer applies their change again). */
  const reload = async () => {
    const latest = await queryClient.fetchQuery({
      queryKey: myDataKey,
      queryFn: () => api.get<MyData>(portalApi('/me')),
      staleTime: 0,
    });
    setDraft(draftOf(latest));
    save.reset();
  };
  const listError = (list: ListName) => {
    if (!(save.error instanceof ApiError)) return null;
    return save.error.errors.find((error) => error.path === `body.${list}`)?.message ?? null;
  };
  const shownElsewhere = (path: string) =>
    /^body\.(givenName|familyName|nickname|pronouns|jobTitle|birthday|emails|phones|addresses)/.test(path);
  const otherErrors =
    save.error instanceof ApiError &&
    !stale &&
    !save.error.errors.every((error) => shownElsewhere(error.path));

  return (
    <form onSubmit={submit} noValidate aria-label="Correct your details">
      <TextField
        label="Given name"
        autoComplete="given-name"
        value={draft.givenName}
        onChange={set('givenName')}
        error={fieldError(save.error, 'body.givenName')}
      />
      <TextField
        label="Family name"
        autoComplete="family-name"
        value={draft.familyName}
        onChange={set('familyName')}
        error={fieldError(save.error, 'body.familyName')}
      />
      <TextField
        label="Nickname"
        autoComplete="nickname"
        value={draft.nickname}
        onChange={set('nickname')}
        error={fieldError(save.error, 'body.nickname')}
      />
      <TextField
        label="Pronouns"
        hint="(such as she/her)"
        value={draft.pronouns}
        onChange={set('pronouns')}
        error={fieldError(save.error, 'body.pronouns')}
      />
      <TextField
        label="Job title"
        autoComplete="organization-title"
        value={draft.jobTitle}
        onChange={set('jobTitle')}
        error={fieldError(save.error, 'body.jobTitle')}
      />
      <TextField
        label="Birthday"
        type="date"
        autoComplete="bday"
        value={draft.birthday}
        onChange={set('birthday')}
        error={fieldError(save.error, 'body.birthday')}
      />

      <fieldset style={fieldsetStyle}>
        <legend style={legendStyle}>Emails</legend>
        {listError('emails') ? <p className="p-field-error">{listError('emails')}</p> : null}
        {draft.emails.map((row, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity but their place
          <div key={index} style={lineStyle}>
            <TextField
              label={`Email ${index + 1}`}
              type="email"
              autoComplete="email"
              inputMode="email"
              value={row.value}
              onChange={(event) => setLine('emails', index, { value: event.currentTarget.value })}
              error={lineError('emails', index)}
            />
            <Button
              variant="secondary"
              small
              onClick={() => removeLine('emails', index)}
              aria-label={`Remove email address ${index + 1}`}
            >
              Remove
            </Button>
          </div>
        ))}
        <Button variant="secondary" small onClick={() => addLine('emails')}>
          Add an email
        </Button>
      </fieldset>

      <fieldset style={fieldsetStyle}>
        <legend style={legendStyle}>Phones</legend>
        {listError('phones') ? <p className="p-field-error">{listError('phones')}</p> : null}
        {draft.phones.map((row, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity but their place
          <div key={index} style={lineStyle}>
            <TextField
              label={`Phone ${index + 1}`}
              type="tel"
              autoComplete="tel"
              inputMode="tel"
              hint="(with the country code, such as +44, if it is not local)"
              value={row.value}
              onChange={(event) => setLine('phones', index, { value: event.currentTarget.value })}
              error={lineError('phones', index)}
            />
            <Button
              variant="secondary"
              small
              onClick={() => removeLine('phones', index)}
              aria-label={`Remove phone number ${index + 1}`}
            >
              Remove
            </Button>
          </div>
        ))}
        <Button variant="secondary" small onClick={() => addLine('phones')}>
          Add a phone
        </Button>
      </fieldset>

      <fieldset style={fieldsetStyle}>
        <legend style={legendStyle}>Addresses</legend>
        {draft.addresses.map((row, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity but their place
          <div key={index} style={lineStyle}>
            <p className="p-muted">Address {index + 1}</p>
            {lineError('addresses', index) ? (
              <p className="p-field-error">{lineError('addresses', index)}</p>
            ) : null}
            {(
              [
                ['street', 'Street', 'street-address'],
                ['city', 'City', 'address-level2'],
                ['region', 'Region or state', 'address-level1'],
                ['postalCode', 'Postal code', 'postal-code'],
                ['country', 'Country', 'country-name'],
              ] as const
            ).map(([part, label, autoComplete]) => (
              <TextField
                key={part}
                label={`${label} (address ${index + 1})`}
                autoComplete={autoComplete}
                value={row[part]}
                onChange={(event) => setLine('addresses', index, { [part]: event.currentTarget.value })}
                error={lineError('addresses', index, part)}
              />
            ))}
            <Button
              variant="secondary"
              small
              onClick={() => removeLine('addresses', index)}
              aria-label={`Remove address ${index + 1}`}
            >
              Remove
            </Button>
          </div>
        ))}
        <Button variant="secondary" small onClick={() => addLine('addresses')}>
          Add an address
        </Button>
      </fieldset>

      {stale ? (
        <Notice kind="error">
          Your details were changed elsewhere since you opened this page.{' '}
          <Button variant="secondary" small onClick={reload}>
            Load the latest
          </Button>
        </Notice>
      ) : null}
      {otherErrors ? <ErrorNotice error={save.error} /> : null}
      {save.error && !stale && !otherErrors ? (
        <Notice kind="error">Please correct the fields marked above.</Notice>
      ) : null}
      {save.isSuccess ? <Notice kind="success">Your changes are saved.</Notice> : null}
      <Button type="submit" busy={save.isPending}>
        Save changes
      </Button>
    </form>
  );
}
