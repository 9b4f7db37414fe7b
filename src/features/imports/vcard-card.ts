import { deriveDisplayName, type PersonFieldsInput } from '../../shared/people.ts';
import { cleanLabel, emptyDraft, type ImportDraft, parseDate, parseStage } from './draft.ts';
import { decodeQuotedPrintable, splitStructured, unescapeText, type VCardProperty } from './vcard.ts';

type Labelled = { value: string; label: string | null; primary: boolean };

/** vCard TYPE values and the labels they mean; other types (voice, internet, pref…) carry no label. */
const typeLabels: Record<string, string> = {
  work: 'work',
  home: 'home',
  other: 'other',
  cell: 'mobile',
  mobile: 'mobile',
  fax: 'fax',
  pager: 'pager',
  main: 'main',
};

const binaryProperties = new Set(['PHOTO', 'LOGO', 'SOUND', 'KEY']);

/** The value of a property as text: quoted-printable and base64 decoded, escapes kept. */
function rawValue(property: VCardProperty): string {
  const encoding = property.params.get('ENCODING')?.[0]?.toUpperCase();
  if (encoding === 'QUOTED-PRINTABLE') {
    return decodeQuotedPrintable(property.value, property.params.get('CHARSET')?.[0]);
  }
  if ((encoding === 'B' || encoding === 'BASE64') && !binaryProperties.has(property.name)) {
    return Buffer.from(property.value, 'base64').toString('utf8');
  }
  return property.value;
}

/** Properties about the card, not the person: nothing is lost when they are not imported. */
const aboutTheCard = new Set([
  'BEGIN',
  'END',
  'VERSION',
  'PRODID',
  'UID',
  'REV',
  'KIND',
  'SOURCE',
  'CLIENTPIDMAP',
  'SORT-STRING',
  'LABEL',
  'X-ABLABEL',
  'X-ABADR',
  'X-ABSHOWAS',
  'X-IMAGETYPE',
  'X-IMAGEHASH',
  'X-SHAREDPHOTODISPLAYPREF',
  'X-ABUID',
]);

const text = (property: VCardProperty) => unescapeText(rawValue(property)).trim();

/**
 * The fields of one card. Standard properties map to person fields; our own round-trip
 * properties (X-RAPPORT-*) carry stage, source, owner, custom fields and contact dates.
 * Photos and properties Rapport has no field for (GEO, X-… of other apps) are reported as not
 * imported; those that only describe the card itself (VERSION, UID, REV…) are ignored quietly.
 */
export function cardToDraft(properties: VCardProperty[], row: number): ImportDraft {
  const draft = emptyDraft(row);
  const person: PersonFieldsInput = {};
  const groupLabels = new Map<string, string>();
  for (const property of properties) {
    if (property.group && property.name === 'X-ABLABEL') groupLabels.set(property.group, text(property));
  }
  const labelOf = (property: VCardProperty) => {
    const grouped = property.group ? groupLabels.get(property.group) : undefined;
    const types = (property.params.get('TYPE') ?? []).map((type) => type.toLowerCase());
    const pref = types.includes('pref') || property.params.has('PREF');
    if (grouped !== undefined) return { label: cleanLabel(grouped, 'vcard').label, primary: pref };
    const known = types.map((type) => typeLabels[type]).find(Boolean);
    return { label: known ?? null, primary: pref };
  };
  const emails: Labelled[] = [];
  const phones: Labelled[] = [];
  const websites: Labelled[] = [];
  const addresses: NonNullable<PersonFieldsInput['addresses']> = [];
  const social: NonNullable<PersonFieldsInput['social']> = [];
  const importantDates: NonNullable<PersonFieldsInput['importantDates']> = [];
  const customFields: Record<string, unknown> = {};
  let fullName: string | null = null;
  let customDisplayName: boolean | null = null;
  let photo = false;
  const notImported = new Set<string>();

  for (const property of properties) {
    switch (property.name) {
      case 'FN':
        fullName = text(property) || null;
        break;
      case 'N': {
        const [family, given, middle, prefix, suffix] = splitStructured(rawValue(property), ';', false).map(
          (part) => splitStructured(part, ',').join(',').trim(),
        );
        person.familyName = family || null;
        person.givenName = [given, middle].filter(Boolean).join(' ') || null;
        person.prefix = prefix || null;
        person.suffix = suffix || null;
        break;
      }
      case 'NICKNAME':
        person.nickname = splitStructured(rawValue(property), ',')[0]?.trim() || null;
        break;
      case 'EMAIL':
      case 'TEL':
      case 'URL': {
        let value = text(property);
        if (property.name === 'TEL') value = value.replace(/^tel:/i, '');
        if (property.name === 'EMAIL') value = value.replace(/^mailto:/i, '');
        if (!value) break;
        const list = property.name === 'EMAIL' ? emails : property.name === 'TEL' ? phones : websites;
        list.push({ value, ...labelOf(property) });
        break;
      }
      case 'ADR': {
        const [, , street, city, region, postalCode, country] = splitStructured(rawValue(property), ';');
        const { label, primary } = labelOf(property);
        const clean = (part: string | undefined) => part?.trim() || null;
        const address = {
          label,
          street: clean(street),
          city: clean(city),
          region: clean(region),
          postalCode: clean(postalCode),
          country: clean(country),
          primary,
        };
        if ([address.street, address.city, address.region, address.postalCode, address.country].some(Boolean))
          addresses.push(address);
        break;
      }
      case 'ORG':
        draft.organizationName = splitStructured(rawValue(property), ';')[0]?.trim() || null;
        break;
      case 'TITLE':
        person.jobTitle = text(property) || null;
        break;
      case 'NOTE':
        person.notes = unescapeText(rawValue(property));
        break;
      case 'CATEGORIES':
        person.tags = [
          ...(person.tags ?? []),
          ...splitStructured(rawValue(property), ',').filter((tag) => tag.trim()),
        ];
        break;
      case 'BDAY': {
        const parsed = parseDate(text(property));
        if (parsed && 'date' in parsed) person.birthday = parsed.date;
        else if (parsed) draft.warnings.push('the birthday has no year and was not imported.');
        else draft.warnings.push(`the birthday "${text(property)}" is not a date and was not imported.`);
        break;
      }
      case 'ANNIVERSARY':
      case 'X-ABDATE': {
        const parsed = parseDate(text(property));
        const label =
          (property.group && cleanLabel(groupLabels.get(property.group), 'vcard').label) ||
          (property.name === 'ANNIVERSARY' ? 'anniversary' : 'date');
        if (parsed && 'date' in parsed) importantDates.push({ label, date: parsed.date });
        else draft.warnings.push(`the date "${text(property)}" (${label}) was not imported.`);
        break;
      }
      case 'PRONOUNS':
        person.pronouns = text(property) || null;
        break;
      case 'SOCIALPROFILE':
      case 'X-SOCIALPROFILE': {
        const service =
          property.params.get('SERVICE-TYPE')?.[0] ?? property.params.get('TYPE')?.[0] ?? 'other';
        const handle = property.params.get('X-USER')?.[0] ?? text(property);
        if (handle) social.push({ service, handle });
        break;
      }
      case 'PHOTO':
        photo = true;
        break;
      case 'X-RAPPORT-STAGE': {
        const stage = parseStage(text(property));
        if (stage) person.stage = stage;
        else draft.warnings.push(`the stage "${text(property)}" is unknown and was not imported.`);
        break;
      }
      case 'X-RAPPORT-SOURCE':
        person.source = text(property) || null;
        break;
      case 'X-RAPPORT-OWNER-ID':
        person.ownerId = text(property) || null;
        break;
      case 'X-RAPPORT-ORGANIZATION-ID':
        person.organizationId = text(property) || null;
        break;
      case 'X-RAPPORT-LAST-CONTACTED':
        person.lastContactedAt = text(property) || null;
        break;
      case 'X-RAPPORT-NEXT-FOLLOW-UP':
        person.nextFollowUpAt = text(property) || null;
        break;
      case 'X-RAPPORT-CUSTOM-DISPLAY-NAME':
        customDisplayName = text(property).toUpperCase() === 'TRUE';
        break;
      case 'X-RAPPORT-CUSTOM': {
        try {
          const { k, v } = JSON.parse(unescapeText(rawValue(property))) as { k: string; v: unknown };
          if (typeof k === 'string') customFields[k] = v;
        } catch {
          draft.warnings.push('an X-RAPPORT-CUSTOM value is not valid JSON and was ignored.');
        }
        break;
      }
      default:
        if (!aboutTheCard.has(property.name)) notImported.add(property.name);
    }
  }
  if (photo) draft.warnings.push('the photo was not imported (add it on the person page).');
  if (notImported.size > 0)
    draft.warnings.push(`${[...notImported].join(', ')}: Rapport has no field for this, not imported.`);
  onePrimary(emails);
  onePrimary(phones);
  onePrimary(websites);
  onePrimary(addresses);
  if (emails.length) person.emails = emails;
  if (phones.length) person.phones = phones;
  if (websites.length) person.websites = websites;
  if (addresses.length) person.addresses = addresses;
  if (social.length) person.social = social;
  if (importantDates.length) person.importantDates = importantDates;
  if (Object.keys(customFields).length)
    person.customFields = customFields as PersonFieldsInput['customFields'];
  const derived = deriveDisplayName(person);
  if (fullName && (customDisplayName ?? fullName !== derived)) person.displayName = fullName;
  draft.person = person;
  return draft;
}

/** Keeps only the first item marked as preferred (other apps may mark several). */
function onePrimary(items: { primary?: boolean | undefined }[]) {
  let seen = false;
  for (const item of items) {
    if (item.primary && !seen) seen = true;
    else item.primary = false;
  }
}
