import type { ImportPreset } from '../../shared/imports.ts';

/**
 * Header presets of the exports people bring: Google Contacts (2023 and older layouts),
 * Outlook, HubSpot, and our own CSV export. Anything else gets a suggestion from common
 * header names, which the user confirms on the mapping screen.
 */
type Rule = [RegExp, string | ((match: RegExpExecArray) => string | null)];

const googleRules: Rule[] = [
  [/^(First Name|Given Name)$/, 'givenName'],
  [/^(Middle Name|Additional Name)$/, 'middleName'],
  [/^(Last Name|Family Name)$/, 'familyName'],
  [/^Name Prefix$/, 'prefix'],
  [/^Name Suffix$/, 'suffix'],
  [/^Nickname$/, 'nickname'],
  [/^Name$/, 'displayName'],
  [/^Birthday$/, 'birthday'],
  [/^Notes$/, 'notes'],
  [/^(Labels|Group Membership)$/, 'tags'],
  [/^Organization (1 - )?Name$/, 'organization'],
  [/^Organization (1 - )?Title$/, 'jobTitle'],
  [/^E-mail (\d+) - Value$/, (m) => `email#${m[1]}`],
  [/^E-mail (\d+) - (Type|Label)$/, (m) => `email#${m[1]}.label`],
  [/^Phone (\d+) - Value$/, (m) => `phone#${m[1]}`],
  [/^Phone (\d+) - (Type|Label)$/, (m) => `phone#${m[1]}.label`],
  [/^Website (\d+) - Value$/, (m) => `website#${m[1]}`],
  [/^Website (\d+) - (Type|Label)$/, (m) => `website#${m[1]}.label`],
  [/^Address (\d+) - (Type|Label)$/, (m) => `address#${m[1]}.label`],
  [/^Address (\d+) - Street$/, (m) => `address#${m[1]}.street`],
  [/^Address (\d+) - City$/, (m) => `address#${m[1]}.city`],
  [/^Address (\d+) - Region$/, (m) => `address#${m[1]}.region`],
  [/^Address (\d+) - Postal Code$/, (m) => `address#${m[1]}.postalCode`],
  [/^Address (\d+) - Country$/, (m) => `address#${m[1]}.country`],
];

const outlookAddress = (place: string, label: string): Rule[] => [
  [new RegExp(`^${place} Street( \\d)?$`), `address.street:${label}`],
  [new RegExp(`^${place} City$`), `address.city:${label}`],
  [new RegExp(`^${place} State$`), `address.region:${label}`],
  [new RegExp(`^${place} Postal Code$`), `address.postalCode:${label}`],
  [new RegExp(`^${place} Country(/Region)?$`), `address.country:${label}`],
];

const outlookRules: Rule[] = [
  [/^Title$/, 'prefix'],
  [/^First Name$/, 'givenName'],
  [/^Middle Name$/, 'middleName'],
  [/^Last Name$/, 'familyName'],
  [/^Suffix$/, 'suffix'],
  [/^Nickname$/, 'nickname'],
  [/^Company$/, 'organization'],
  [/^Job Title$/, 'jobTitle'],
  ...outlookAddress('Business', 'work'),
  ...outlookAddress('Home', 'home'),
  ...outlookAddress('Other', 'other'),
  [/^Business Phone( 2)?$/, 'phone:work'],
  [/^Home Phone( 2)?$/, 'phone:home'],
  [/^Mobile Phone$/, 'phone:mobile'],
  [/^(Business|Home) Fax$/, 'phone:fax'],
  [/^Pager$/, 'phone:pager'],
  [/^Other Phone$/, 'phone:other'],
  [/^Primary Phone$/, 'phone'],
  [/^E-mail Address$/, 'email'],
  [/^E-mail (2|3) Address$/, 'email'],
  [/^Notes$/, 'notes'],
  [/^Birthday$/, 'birthday'],
  [/^Web Page$/, 'website'],
  [/^Categories$/, 'tags'],
];

const hubspotRules: Rule[] = [
  [/^First Name$/, 'givenName'],
  [/^Last Name$/, 'familyName'],
  [/^Email$/, 'email'],
  [/^Additional email addresses$/, 'email'],
  [/^Phone Number$/, 'phone'],
  [/^Mobile Phone Number$/, 'phone:mobile'],
  [/^(Company Name|Associated Company)$/, 'organization'],
  [/^Job Title$/, 'jobTitle'],
  [/^Lifecycle Stage$/, 'stage'],
  [/^Street Address$/, 'address.street'],
  [/^City$/, 'address.city'],
  [/^State\/Region$/, 'address.region'],
  [/^(Postal Code|Zip)$/, 'address.postalCode'],
  [/^Country\/Region$/, 'address.country'],
  [/^Website URL$/, 'website'],
];

/** The columns of our own CSV export (src/features/exports/csv.ts) read back as themselves. */
const rapportRules: Rule[] = [
  [
    /^(givenName|familyName|prefix|suffix|nickname|displayName|pronouns|jobTitle|organization|stage|source|birthday|tags|notes)$/,
    (m) => m[1]!,
  ],
  [/^(emails|phones|websites)$/, (m) => m[1]!.slice(0, -1)],
  [/^address\.(street|city|region|postalCode|country)$/, (m) => m[0]],
  [/^customFields\..+$/, (m) => m[0]],
];

const presetRules: Record<ImportPreset, Rule[]> = {
  google: googleRules,
  outlook: outlookRules,
  hubspot: hubspotRules,
  rapport: rapportRules,
};

/** Which export the headers come from, by the columns only that export writes. */
export function detectPreset(headers: readonly string[]): ImportPreset | null {
  const has = (name: string) => headers.includes(name);
  if (has('displayName') && has('givenName') && has('emails')) return 'rapport';
  if (has('E-mail 1 - Value') || (has('Given Name') && has('Group Membership'))) return 'google';
  if (has('E-mail Address') && (has('Business Phone') || has('Mobile Phone') || has('E-mail 2 Address')))
    return 'outlook';
  if (has('Record ID') || (has('Lifecycle Stage') && has('Email'))) return 'hubspot';
  return null;
}

const genericNames: Record<string, string> = {
  firstname: 'givenName',
  givenname: 'givenName',
  forename: 'givenName',
  prenom: 'givenName',
  middlename: 'middleName',
  lastname: 'familyName',
  familyname: 'familyName',
  surname: 'familyName',
  nom: 'familyName',
  name: 'displayName',
  fullname: 'displayName',
  displayname: 'displayName',
  nickname: 'nickname',
  prefix: 'prefix',
  suffix: 'suffix',
  pronouns: 'pronouns',
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  workemail: 'email:work',
  homeemail: 'email:home',
  phone: 'phone',
  phonenumber: 'phone',
  telephone: 'phone',
  tel: 'phone',
  mobile: 'phone:mobile',
  mobilephone: 'phone:mobile',
  cell: 'phone:mobile',
  workphone: 'phone:work',
  homephone: 'phone:home',
  company: 'organization',
  companyname: 'organization',
  organization: 'organization',
  organisation: 'organization',
  employer: 'organization',
  title: 'jobTitle',
  jobtitle: 'jobTitle',
  position: 'jobTitle',
  role: 'jobTitle',
  tags: 'tags',
  labels: 'tags',
  categories: 'tags',
  stage: 'stage',
  lifecyclestage: 'stage',
  status: 'stage',
  source: 'source',
  leadsource: 'source',
  notes: 'notes',
  note: 'notes',
  comments: 'notes',
  birthday: 'birthday',
  dateofbirth: 'birthday',
  dob: 'birthday',
  website: 'website',
  url: 'website',
  webpage: 'website',
  street: 'address.street',
  address: 'address.street',
  streetaddress: 'address.street',
  city: 'address.city',
  town: 'address.city',
  state: 'address.region',
  region: 'address.region',
  province: 'address.region',
  zip: 'address.postalCode',
  zipcode: 'address.postalCode',
  postcode: 'address.postalCode',
  postalcode: 'address.postalCode',
  country: 'address.country',
};

function ruleTarget(rules: Rule[], header: string): string | null {
  for (const [pattern, target] of rules) {
    const match = pattern.exec(header);
    if (match) return typeof target === 'string' ? target : target(match);
  }
  return null;
}

/** A target for each column (null: left out), from the preset or from common header names. */
export function suggestMapping(headers: readonly string[], preset: ImportPreset | null): (string | null)[] {
  return headers.map((header) => {
    const trimmed = header.trim();
    if (preset) return ruleTarget(presetRules[preset], trimmed);
    const key = trimmed
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z]/g, '');
    return genericNames[key] ?? null;
  });
}
