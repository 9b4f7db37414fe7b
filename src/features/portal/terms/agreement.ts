import { createHash } from 'node:crypto';
import type { Terms, TermsRecord } from '../../../shared/portal.ts';
import type { AgreementTerms, TermsAgreement, TermsVersion } from '../../../shared/portal-terms.ts';
import {
  contactChannelLabels,
  contactChannels,
  contactPurposeLabels,
  contactPurposes,
} from '../../../shared/portal-words.ts';

/** JSON with object keys sorted at every level and no whitespace: the same terms, the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const termsDigest = (terms: Terms) => createHash('sha256').update(canonicalJson(terms)).digest('hex');

const allow = (yes: boolean) => (yes ? 'allow' : 'deny') as 'allow' | 'deny';

/** The terms spelled out: every channel, purpose and sharing choice as an explicit allow or deny. */
export function explicitTerms(terms: Terms): AgreementTerms {
  return {
    channels: contactChannels.map((channel) => ({
      channel,
      label: contactChannelLabels[channel],
      permission: allow(terms.channels[channel]),
    })),
    purposes: contactPurposes.map((purpose) => ({
      purpose,
      label: contactPurposeLabels[purpose],
      permission: allow(terms.purposes[purpose]),
      maxFrequency: purpose === 'service' ? null : terms.frequency[purpose],
    })),
    sharing: { thirdParties: allow(terms.shareWithThirdParties) },
  };
}

/**
 * The agreement record a customer downloads, in the spirit of IEEE 7012 (machine-readable personal
 * privacy terms): the individual proffers the terms (first party), the company agrees to them
 * (second party). The digest lets either side prove which terms were in force.
 */
export function buildAgreement(input: {
  person: { id: string | null; email: string };
  company: { name: string; portalUrl: string };
  current: TermsRecord;
  history: TermsVersion[];
  now: Date;
}): TermsAgreement {
  const { current } = input;
  const sha256 = termsDigest(current.terms);
  return {
    '@context': 'urn:rapport:personal-terms:v1',
    type: 'PersonalTermsAgreement',
    basedOn: 'IEEE 7012, Standard for Machine Readable Personal Privacy Terms (in its spirit)',
    id: `urn:rapport:terms:${input.person.id ?? 'unregistered'}:v${current.version}:${sha256.slice(0, 16)}`,
    firstParty: {
      role: 'individual',
      description:
        'Proffers these terms: the person decides how they may be contacted and what may be shared.',
      id: input.person.id,
      email: input.person.email,
    },
    secondParty: {
      role: 'organization',
      description: 'Agrees to these terms and enforces them on every message it sends through Rapport.',
      name: input.company.name,
      portalUrl: input.company.portalUrl,
    },
    terms: explicitTerms(current.terms),
    version: current.version,
    effectiveFrom: current.setAt,
    setBy: current.setBy,
    canonicalization:
      'sha256 of the terms object as set (channels, purposes, frequency, shareWithThirdParties) serialised as JSON with keys sorted at every level and no whitespace.',
    sha256,
    history: input.history.map((entry) => ({
      version: entry.version,
      setBy: entry.setBy,
      effectiveFrom: entry.setAt,
      sha256: termsDigest(entry.terms),
    })),
    generatedAt: input.now.toISOString(),
  };
}
