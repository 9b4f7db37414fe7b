import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { MyData } from '../../../shared/portal-me.ts';
import {
  type ContactChannel,
  type ContactPurpose,
  contactChannelLabels,
  contactChannels,
  contactPurposeLabels,
  contactPurposes,
} from '../../../shared/portal-words.ts';
import { api } from '../../app/api.ts';
import { ErasureSection } from '../erasure/ErasureSection.tsx';
import { portalApi, usePortal } from '../session.tsx';
import { Badge, Card, Empty, ErrorNotice, formatDate, Loading } from '../ui.tsx';
import { EditDetailsForm, myDataKey } from './EditDetailsForm.tsx';

const dateOnly = (value: string | null) =>
  value ? new Date(`${value}T00:00:00`).toLocaleDateString(undefined, { dateStyle: 'long' }) : '';

/** "My data": what the company holds about the customer, to read, correct and download. */
export function MyDataPage() {
  const query = useQuery({ queryKey: myDataKey, queryFn: () => api.get<MyData>(portalApi('/me')) });
  if (query.isPending) return <Loading what="Loading your data" />;
  if (query.isError) return <ErrorNotice error={query.error} />;
  const data = query.data;
  return (
    <div>
      <h1>My data</h1>
      <p className="p-muted">
        Everything we hold about you that is yours to see. Correct your details below; changes apply at once.
      </p>
      <Downloads />
      <ContactCard data={data} />
      <Card title="Correct your details">
        <EditDetailsForm data={data} />
      </Card>
      <InteractionsCard data={data} />
      <ItemsCard data={data} />
      <TermsCard data={data} />
      <Card title="Survey answers">
        <Empty>We have not asked you any survey questions.</Empty>
      </Card>
      <ErasureSection />
    </div>
  );
}

function Downloads() {
  return (
    <Card title="Download your data">
      <div className="p-row">
        <a className="p-btn p-secondary" href={portalApi('/me/export')} download="my-data.json">
          Download my data (JSON)
        </a>
        <a className="p-btn p-secondary" href={portalApi('/me/vcard')} download="my-card.vcf">
          Download my card (vCard)
        </a>
      </div>
      <p className="p-muted">
        The JSON file holds everything below plus your full conversations, votes, comments, terms history and
        sign-ins.
      </p>
    </Card>
  );
}

function Line({ label, children }: { label: string; children: ReactNode }) {
  return (
    <li>
      <div className="p-muted">{label}</div>
      <div className="p-pre">{children}</div>
    </li>
  );
}

function ContactCard({ data }: { data: MyData }) {
  const person = data.person;
  if (!person) {
    return (
      <Card title="Your details">
        <p>
          We have no record about you yet, only the address you signed in with: <strong>{data.email}</strong>.
        </p>
        <p className="p-muted">Saving your details below creates your record.</p>
      </Card>
    );
  }
  const labelled = (item: { value: string; label: string | null }) =>
    item.label ? `${item.value} (${item.label})` : item.value;
  const addresses = person.addresses.map((address) =>
    [address.street, address.city, address.region, address.postalCode, address.country]
      .filter(Boolean)
      .join(', '),
  );
  const name = [person.givenName, person.familyName].filter(Boolean).join(' ');
  return (
    <Card title="Your details">
      <ul className="p-list">
        <Line label="Name">{person.displayName}</Line>
        {name && name !== person.displayName ? <Line label="Full name">{name}</Line> : null}
        {person.nickname ? <Line label="Nickname">{person.nickname}</Line> : null}
        {person.pronouns ? <Line label="Pronouns">{person.pronouns}</Line> : null}
        {person.jobTitle ? <Line label="Job title">{person.jobTitle}</Line> : null}
        {data.organization ? <Line label="Organization">{data.organization.name}</Line> : null}
        {person.birthday ? <Line label="Birthday">{dateOnly(person.birthday)}</Line> : null}
        <Line label="Emails">{person.emails.map(labelled).join('\n') || '—'}</Line>
        <Line label="Phones">{person.phones.map(labelled).join('\n') || '—'}</Line>
        {addresses.length ? <Line label="Addresses">{addresses.join('\n')}</Line> : null}
        {person.websites.length ? (
          <Line label="Websites">{person.websites.map(labelled).join('\n')}</Line>
        ) : null}
        {person.social.length ? (
          <Line label="Social profiles">
            {person.social.map((profile) => `${profile.service}: ${profile.handle}`).join('\n')}
          </Line>
        ) : null}
      </ul>
      <p className="p-muted">Last changed {formatDate(person.updatedAt)}</p>
    </Card>
  );
}

function InteractionsCard({ data }: { data: MyData }) {
  return (
    <Card title="Your contacts with us">
      {data.interactions.length === 0 ? (
        <Empty>No calls, meetings or messages recorded.</Empty>
      ) : (
        <ul className="p-list">
          {data.interactions.map((interaction) => (
            <li key={interaction.id}>
              <div className="p-spread">
                <strong>{interaction.summary}</strong>
                <span className="p-muted">{formatDate(interaction.occurredAt)}</span>
              </div>
              <div className="p-row p-muted">
                <Badge>{interaction.type}</Badge>
                {interaction.channel ? <span>{interaction.channel}</span> : null}
                {interaction.direction ? (
                  <span>{interaction.direction === 'inbound' ? 'from you' : 'from us'}</span>
                ) : null}
              </div>
              {interaction.outcome ? <p className="p-pre">Outcome: {interaction.outcome}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function ItemsCard({ data }: { data: MyData }) {
  const { to, site } = usePortal();
  return (
    <Card title="Your requests and feedback">
      {data.items.length === 0 ? (
        <Empty>You have not sent us anything yet.</Empty>
      ) : (
        <ul className="p-list">
          {data.items.map((item) => (
            <li key={item.id}>
              <div className="p-spread">
                {site.parts.items ? (
                  <Link to={to(`/requests/${item.id}`)}>
                    #{item.ref} {item.subject}
                  </Link>
                ) : (
                  <span>
                    #{item.ref} {item.subject}
                  </span>
                )}
                <Badge brand>{item.status.replaceAll('_', ' ')}</Badge>
              </div>
              <div className="p-muted">
                {item.kind} · sent {formatDate(item.createdAt)}
                {item.resolvedAt ? ` · resolved ${formatDate(item.resolvedAt)}` : ''}
              </div>
              {item.resolution ? <p className="p-pre">Outcome: {item.resolution}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function TermsCard({ data }: { data: MyData }) {
  const { to } = usePortal();
  const { terms, version, setAt } = data.terms;
  const allowed = <K extends string>(
    keys: readonly K[],
    flags: Record<K, boolean>,
    labels: Record<K, string>,
  ) => keys.filter((key) => flags[key]).map((key) => labels[key]);
  const channels = allowed<ContactChannel>(contactChannels, terms.channels, contactChannelLabels);
  const purposes = allowed<ContactPurpose>(contactPurposes, terms.purposes, contactPurposeLabels);
  return (
    <Card title="Your terms and consents">
      <p className="p-muted">
        {version === 0
          ? 'You have not set your terms yet: these defaults apply.'
          : `Version ${version}, set ${formatDate(setAt)}.`}
      </p>
      <ul className="p-list">
        <Line label="We may contact you by">{channels.join(', ') || 'no channel'}</Line>
        <Line label="For">{purposes.join('\n') || 'nothing'}</Line>
        <Line label="Sharing with third parties">
          {terms.shareWithThirdParties ? 'Allowed' : 'Not allowed'}
        </Line>
      </ul>
      {data.consents.length > 1 ? (
        <details>
          <summary>Earlier versions ({data.consents.length - 1})</summary>
          <ul className="p-list">
            {data.consents.slice(1).map((consent) => (
              <li key={consent.version}>
                Version {consent.version}, set by {consent.setBy === 'staff' ? 'us' : 'you'} on{' '}
                {formatDate(consent.setAt)}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <Link className="p-btn p-secondary" to={to('/terms')}>
        Change my terms
      </Link>
    </Card>
  );
}
