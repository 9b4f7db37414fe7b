/**
 * Deterministic generator of realistic Rolodex data for the benchmarks: people in several
 * scripts (Latin with accents, CJK family-first, Arabic/Hebrew, Cyrillic, Greek), emails, phones
 * valid per libphonenumber-js, organizations with domains, tags, stages, owners, notes and
 * interactions over three years. The same seed gives the same rows.
 *
 * People go through the API's own normalization (applyPersonInput / personColumns), so the
 * search columns are exactly what the API would have written.
 */
import {
  ar,
  base,
  de,
  el,
  en,
  en_GB,
  en_US,
  es,
  Faker,
  fr,
  he,
  ja,
  ko,
  type LocaleDefinition,
  pl,
  pt_BR,
  ru,
  tr,
  uk,
  vi,
  zh_CN,
} from '@faker-js/faker';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';
import { organizationColumns } from '../src/features/organizations/queries.ts';
import { applyPersonInput, emptyPersonState, personColumns } from '../src/features/people/normalize.ts';
import { normalizeDomain } from '../src/shared/organizations.ts';
import type { CreatePersonInput, Stage } from '../src/shared/people.ts';

const DAY = 86_400_000;
const YEARS = 3;

interface Profile {
  faker: Faker;
  country: CountryCode;
  countryName: string;
  weight: number;
  latin: boolean;
}

const profileSpecs: [LocaleDefinition, CountryCode, string, number, boolean][] = [
  [en_US, 'US', 'United States', 28, true],
  [en_GB, 'GB', 'United Kingdom', 6, true],
  [de, 'DE', 'Germany', 7, true],
  [fr, 'FR', 'France', 7, true],
  [es, 'ES', 'Spain', 5, true],
  [pt_BR, 'BR', 'Brazil', 5, true],
  [pl, 'PL', 'Poland', 3, true],
  [tr, 'TR', 'Türkiye', 2, true],
  [vi, 'VN', 'Vietnam', 2, true],
  [ja, 'JP', 'Japan', 6, false],
  [zh_CN, 'CN', 'China', 6, false],
  [ko, 'KR', 'South Korea', 3, false],
  [ar, 'SA', 'Saudi Arabia', 4, false],
  [he, 'IL', 'Israel', 3, false],
  [ru, 'RU', 'Russia', 6, false],
  [uk, 'UA', 'Ukraine', 2, false],
  [el, 'GR', 'Greece', 2, false],
];

export const benchTags = [
  'vip',
  'newsletter',
  'webinar-2025',
  'conference',
  'websummit',
  'referral',
  'enterprise',
  'smb',
  'startup',
  'beta-tester',
  'churn-risk',
  'renewal-q3',
  'decision-maker',
  'champion',
  'speaker',
  'podcast-guest',
  'partner-lead',
  'investor',
  'press',
  'alumni',
  'trial',
  'upsell',
  'board',
  'nps-promoter',
];
const stageWeights: { value: Stage; weight: number }[] = [
  { value: 'prospect', weight: 45 },
  { value: 'customer', weight: 30 },
  { value: 'former_customer', weight: 7 },
  { value: 'influencer', weight: 6 },
  { value: 'advocate', weight: 5 },
  { value: 'partner', weight: 4 },
  { value: 'other', weight: 3 },
];
const industries = [
  'Software',
  'Manufacturing',
  'Retail',
  'Healthcare',
  'Finance',
  'Education',
  'Logistics',
  'Media',
  'Energy',
  'Hospitality',
  'Agriculture',
  'Consulting',
];
const sizes = ['1-10', '11-50', '51-200', '201-1000', '1001-5000', '5000+'];
const sources = ['Referral', 'Website', 'Conference', 'LinkedIn', 'Cold outreach', 'Webinar', 'Partner'];
const events = [
  'Web Summit',
  'SaaStr',
  'a customer dinner',
  'the spring webinar',
  'a trade fair',
  'a meetup',
];
const interactionTypes = [
  { value: 'email', weight: 40 },
  { value: 'call', weight: 25 },
  { value: 'meeting', weight: 20 },
  { value: 'message', weight: 10 },
  { value: 'visit', weight: 3 },
  { value: 'purchase', weight: 2 },
] as const;
const channelOf = {
  email: 'email',
  call: 'phone',
  meeting: 'video',
  message: 'chat',
  visit: 'in_person',
  purchase: 'portal',
};

export interface BenchOrganization {
  id: string;
  domain: string;
  row: Record<string, unknown>;
}

export interface BenchInteraction {
  id: string;
  type: string;
  channel: string;
  direction: 'inbound' | 'outbound';
  occurredAt: Date;
  durationMinutes: number | null;
  summary: string;
  outcome: string | null;
  organizationId: string | null;
  createdBy: string | null;
}

export interface BenchPerson {
  id: string;
  /** The create payload, as a client would send it to POST /api/v1/people. */
  input: CreatePersonInput;
  /** Columns to insert (JSON columns as values, not strings), including id and timestamps. */
  row: Record<string, unknown>;
  interactions: BenchInteraction[];
}

/** A UUIDv7 from a timestamp and the seeded generator (deterministic, time-ordered like newId). */
function uuid7(ms: number, rng: Faker): string {
  const hex = ms.toString(16).padStart(12, '0');
  const random = rng.string.hexadecimal({ length: 19, casing: 'lower', prefix: '' });
  const variant = '89ab'[rng.number.int(3)];
  return `${hex.slice(0, 8)}-${hex.slice(8)}-7${random.slice(0, 3)}-${variant}${random.slice(3, 6)}-${random.slice(6, 18)}`;
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .split('-')
    .filter(
      (word) =>
        !['and', 'und', 'et', 'e', 'y', 'sons', 'group', 'llc', 'inc', 'gmbh', 'sa', 's-l'].includes(word),
    )
    .slice(0, 2)
    .join('');
}

export class BenchGenerator {
  private readonly rng: Faker;
  private readonly profiles: Profile[];
  private readonly usedDomains = new Set<string>();
  readonly now: number;

  constructor(seed = 42, now = Date.UTC(2026, 10, 1)) {
    this.now = now;
    this.rng = new Faker({ locale: [en, base], seed });
    this.profiles = profileSpecs.map(([locale, country, countryName, weight, latin], index) => ({
      faker: new Faker({ locale: [locale, en, base], seed: seed * 31 + index }),
      country,
      countryName,
      weight,
      latin,
    }));
  }

  private profile(): Profile {
    return this.rng.helpers.weightedArrayElement(
      this.profiles.map((value) => ({ value, weight: value.weight })),
    );
  }

  /** A mobile number valid for the country, written the way people type it. */
  phone(country: CountryCode): string {
    const example = (examples as Record<string, string>)[country]!;
    for (let attempt = 0; attempt < 10; attempt++) {
      const keep = Math.max(2, example.length - 7);
      const digits = example.slice(0, keep) + this.rng.string.numeric(example.length - keep);
      const parsed = parsePhoneNumberFromString(digits, country);
      if (!parsed?.isValid()) continue;
      if (country !== 'US') {
        return this.rng.datatype.boolean(0.7) ? parsed.formatInternational() : parsed.number;
      }
      return this.rng.helpers.arrayElement([parsed.formatNational(), digits, parsed.formatInternational()]);
    }
    return parsePhoneNumberFromString(example, country)!.number;
  }

  organization(index: number, previous: BenchOrganization[]): BenchOrganization {
    const profile = this.profile();
    const name = profile.faker.company.name();
    let stem = (profile.latin && slug(name)) || slug(this.rng.company.name()) || 'company';
    if (this.usedDomains.has(`${stem}.com`)) stem = `${stem}${index.toString(36)}`;
    const tld =
      profile.country === 'US'
        ? 'com'
        : this.rng.helpers.arrayElement(['com', profile.country.toLowerCase()]);
    const domain = normalizeDomain(`${stem}.${tld}`)!;
    this.usedDomains.add(`${stem}.com`);
    const created = this.now - this.rng.number.int({ min: YEARS * 365, max: YEARS * 365 + 400 }) * DAY;
    const id = uuid7(created, this.rng);
    const parent =
      previous.length > 10 && this.rng.datatype.boolean(0.05)
        ? this.rng.helpers.arrayElement(previous)
        : null;
    const columns = organizationColumns({
      name,
      domains: [domain],
      industry: this.rng.helpers.arrayElement(industries),
      size: this.rng.helpers.arrayElement(sizes),
      address: {
        street: null,
        city: profile.faker.location.city(),
        region: null,
        postalCode: null,
        country: profile.countryName,
      },
      parentId: parent?.id ?? null,
      tags: this.rng.helpers.arrayElements(benchTags, { min: 0, max: 2 }),
      customFields: {},
      notes: index % 4 === 0 ? this.rng.company.catchPhrase() : null,
    });
    const row = {
      id,
      ...columns,
      address: columns.address ? JSON.parse(columns.address) : null,
      custom_fields: {},
      created_at: new Date(created).toISOString(),
      updated_at: new Date(created + this.rng.number.int(200) * DAY).toISOString(),
    };
    return { id, domain, row };
  }

  /** One person; `organizations` and `owners` are what they may belong to. */
  person(organizations: BenchOrganization[], owners: string[]): BenchPerson {
    const rng = this.rng;
    const profile = this.profile();
    const f = profile.faker;
    const sex = rng.helpers.arrayElement(['female', 'male'] as const);
    const givenName = f.person.firstName(sex);
    const familyName = f.person.lastName(sex);
    const organization =
      organizations.length > 0 && rng.datatype.boolean(0.7) ? rng.helpers.arrayElement(organizations) : null;
    const user = f.internet.username({ firstName: givenName, lastName: familyName }).toLowerCase();
    const emails: { value: string; label: string }[] = [];
    if (rng.datatype.boolean(0.9)) {
      emails.push(
        organization
          ? { value: `${user.replace(/[^a-z0-9._-]/g, '')}@${organization.domain}`, label: 'work' }
          : { value: f.internet.email({ firstName: givenName, lastName: familyName }), label: 'home' },
      );
      if (rng.datatype.boolean(0.15))
        emails.push({
          value: `${user.replace(/[^a-z0-9._-]/g, '')}${rng.number.int(99)}@proton.me`,
          label: 'home',
        });
    }
    const phones: { value: string; label: string }[] = [];
    if (rng.datatype.boolean(0.75)) phones.push({ value: this.phone(profile.country), label: 'mobile' });
    if (rng.datatype.boolean(0.1)) phones.push({ value: this.phone(profile.country), label: 'work' });
    const last7 = (value: string) => value.replace(/\D/g, '').slice(-7);
    if (phones.length === 2 && last7(phones[0]!.value) === last7(phones[1]!.value)) phones.pop();
    const stage = rng.helpers.weightedArrayElement(stageWeights);
    const created = this.now - rng.number.int({ min: 1, max: YEARS * 365 }) * DAY - rng.number.int(DAY);
    const interactions = this.interactions(created, stage, organization?.id ?? null, owners);
    const lastContacted = interactions.reduce<number | null>(
      (latest, item) => Math.max(latest ?? 0, item.occurredAt.getTime()),
      null,
    );
    const input: CreatePersonInput = {
      givenName,
      familyName,
      jobTitle: rng.datatype.boolean(0.8) ? rng.person.jobTitle() : null,
      stage,
      source: rng.datatype.boolean(0.5) ? rng.helpers.arrayElement(sources) : null,
      ownerId: owners.length > 0 && rng.datatype.boolean(0.9) ? rng.helpers.arrayElement(owners) : null,
      organizationId: organization?.id ?? null,
      emails,
      phones,
      tags: rng.helpers.arrayElements(
        benchTags,
        rng.helpers.weightedArrayElement([
          { value: 0, weight: 40 },
          { value: 1, weight: 35 },
          { value: 2, weight: 18 },
          { value: 3, weight: 7 },
        ]),
      ),
      notes: rng.datatype.boolean(0.35)
        ? `Met at ${rng.helpers.arrayElement(events)} in ${f.location.city()}. ${rng.company.catchPhrase()}.\n\n${rng.lorem.sentence()}`
        : null,
      lastContactedAt: lastContacted === null ? null : new Date(lastContacted).toISOString(),
      nextFollowUpAt: rng.datatype.boolean(0.2)
        ? new Date(this.now + rng.number.int({ min: 1, max: 60 }) * DAY).toISOString()
        : null,
    };
    if (rng.datatype.boolean(0.05)) input.nickname = f.person.firstName(sex);
    const state = applyPersonInput(emptyPersonState(), input, 'US');
    const updated = lastContacted ?? created + rng.number.int(30) * DAY;
    const id = uuid7(created, rng);
    const row = {
      id,
      ...personColumns(state),
      emails: state.emails,
      phones: state.phones,
      addresses: state.addresses,
      websites: state.websites,
      social: state.social,
      important_dates: state.importantDates,
      custom_fields: state.customFields,
      created_at: new Date(created).toISOString(),
      updated_at: new Date(Math.min(this.now, updated)).toISOString(),
    };
    return { id, input, row, interactions };
  }

  /** Calls, meetings and emails between the person's creation and now, oldest first. */
  private interactions(createdMs: number, stage: Stage, organizationId: string | null, owners: string[]) {
    const rng = this.rng;
    const count = rng.helpers.weightedArrayElement([
      { value: 0, weight: 35 },
      { value: 1, weight: 25 },
      { value: 2, weight: 15 },
      { value: 3, weight: 10 },
      { value: 5, weight: 10 },
      { value: 10, weight: 5 },
    ]);
    const times = Array.from({ length: count }, () => rng.number.int({ min: createdMs, max: this.now })).sort(
      (a, b) => a - b,
    );
    return times.map((ms): BenchInteraction => {
      let type: string = rng.helpers.weightedArrayElement(interactionTypes.map((item) => ({ ...item })));
      if (type === 'purchase' && stage !== 'customer') type = 'email';
      const timed = type === 'call' || type === 'meeting' || type === 'visit';
      return {
        id: uuid7(ms, rng),
        type,
        channel: channelOf[type as keyof typeof channelOf],
        direction: rng.datatype.boolean(0.6) ? 'outbound' : 'inbound',
        occurredAt: new Date(ms),
        durationMinutes: timed ? rng.number.int({ min: 5, max: 90 }) : null,
        summary: `${type[0]!.toUpperCase()}${type.slice(1)}: ${rng.company.buzzPhrase()}`,
        outcome: rng.datatype.boolean(0.3)
          ? rng.helpers.arrayElement(['Interested', 'Sent a quote', 'Follow up next month', 'Not now'])
          : null,
        organizationId,
        createdBy: owners.length > 0 ? rng.helpers.arrayElement(owners) : null,
      };
    });
  }
}
