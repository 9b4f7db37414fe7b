import type { Person } from '../../shared/people.ts';
import { escapeText as escapeValue } from '../imports/vcard.ts';

/** Person JSON plus whether the display name was chosen (else it follows the name parts). */
export type ExportPerson = Person & { customDisplayName: boolean };

/** Labels written as a standard TYPE; any other label goes in an Apple-style `itemN.X-ABLabel`. */
const labelTypes: Record<string, string> = { work: 'work', home: 'home', other: 'other' };
const phoneLabelTypes: Record<string, string> = { ...labelTypes, mobile: 'cell', fax: 'fax', pager: 'pager' };

/** A parameter value, quoted when it must be, with RFC 6868 escapes. */
function param(value: string): string {
  const encoded = value
    .replace(/\^/g, '^^')
    .replace(/"/g, "^'")
    .replace(/\r\n|\n|\r/g, '^n');
  return /[;:,\s]/.test(encoded) || encoded === '' ? `"${encoded}"` : encoded;
}

/** Folds a content line at 75 octets (never inside a character), CRLF-terminated. */
export function foldLine(line: string): string {
  // 25 UTF-16 units are at most 75 bytes.
  if (line.length <= 25 || Buffer.byteLength(line) <= 75) return `${line}\r\n`;
  let out = '';
  let start = 0;
  let width = 0;
  let limit = 75;
  for (let index = 0; index < line.length; ) {
    // The UTF-8 size of this code point (a lone surrogate is written as U+FFFD, 3 bytes).
    const code = line.charCodeAt(index);
    let size = code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
    let units = 1;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = line.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        size = 4;
        units = 2;
      }
    }
    if (width + size > limit) {
      out += `${line.slice(start, index)}\r\n `;
      start = index;
      width = 0;
      limit = 74; // the leading space counts
    }
    width += size;
    index += units;
  }
  return `${out}${line.slice(start)}\r\n`;
}

/** escapeText, skipped for the usual value that holds nothing to escape. */
const needsEscape = /[\\,;\r\n]/;
const escapeText = (value: string) => (needsEscape.test(value) ? escapeValue(value) : value);

type Labelled = { label: string | null; primary: boolean };

/** A vCard being written, line by line (folded as it goes). */
class Card {
  text = 'BEGIN:VCARD\r\nVERSION:4.0\r\n';
  private group = 0;

  add(name: string, value: string, params?: string[]) {
    this.text += foldLine(params?.length ? `${name};${params.join(';')}:${value}` : `${name}:${value}`);
  }

  /** A property with a label: a standard TYPE, else an Apple-style `itemN.X-ABLabel`. */
  labelled(name: string, value: string, item: Labelled, types: Record<string, string>, extra?: string) {
    const params = extra ? [extra] : [];
    if (item.primary) params.push('PREF=1');
    const type = item.label === null ? undefined : types[item.label];
    if (item.label !== null && type === undefined) {
      const group = this.nextGroup();
      this.add(`${group}.${name}`, value, params);
      this.add(`${group}.X-ABLabel`, escapeText(item.label));
      return;
    }
    if (type) params.unshift(`TYPE=${type}`);
    this.add(name, value, params);
  }

  nextGroup() {
    this.group++;
    return `item${this.group}`;
  }
}

/**
 * A person as a vCard 4.0. Standard properties carry what other apps understand; X-RAPPORT-*
 * properties carry the rest (stage, source, owner, custom fields, contact dates), so that our
 * own import reads back every field.
 */
export function personToVCard(person: ExportPerson, organizationName: string | null): string {
  const card = new Card();
  card.add('UID', `urn:uuid:${person.id}`);
  card.add('FN', escapeText(person.displayName));
  card.add(
    'N',
    `${escapeText(person.familyName ?? '')};${escapeText(person.givenName ?? '')};;${escapeText(person.prefix ?? '')};${escapeText(person.suffix ?? '')}`,
  );
  card.add('X-RAPPORT-CUSTOM-DISPLAY-NAME', person.customDisplayName ? 'TRUE' : 'FALSE');
  if (person.nickname) card.add('NICKNAME', escapeText(person.nickname));
  if (person.pronouns) card.add('PRONOUNS', escapeText(person.pronouns));
  for (const email of person.emails) card.labelled('EMAIL', escapeText(email.value), email, labelTypes);
  for (const phone of person.phones)
    card.labelled('TEL', escapeText(phone.value), phone, phoneLabelTypes, 'VALUE=text');
  for (const address of person.addresses) {
    const parts = ['', '', address.street, address.city, address.region, address.postalCode, address.country];
    card.labelled('ADR', parts.map((part) => escapeText(part ?? '')).join(';'), address, labelTypes);
  }
  for (const website of person.websites) card.labelled('URL', escapeText(website.value), website, labelTypes);
  for (const profile of person.social)
    card.add('SOCIALPROFILE', escapeText(profile.handle), [`SERVICE-TYPE=${param(profile.service)}`]);
  for (const date of person.importantDates) {
    const group = card.nextGroup();
    card.add(`${group}.X-ABDATE`, date.date);
    card.add(`${group}.X-ABLabel`, escapeText(date.label));
  }
  if (organizationName) card.add('ORG', escapeText(organizationName));
  if (person.organizationId) card.add('X-RAPPORT-ORGANIZATION-ID', person.organizationId);
  if (person.jobTitle) card.add('TITLE', escapeText(person.jobTitle));
  if (person.birthday) card.add('BDAY', person.birthday.replaceAll('-', ''));
  if (person.tags.length) card.add('CATEGORIES', person.tags.map(escapeText).join(','));
  if (person.notes !== null) card.add('NOTE', escapeText(person.notes));
  card.add('X-RAPPORT-STAGE', person.stage);
  if (person.source) card.add('X-RAPPORT-SOURCE', escapeText(person.source));
  if (person.ownerId) card.add('X-RAPPORT-OWNER-ID', person.ownerId);
  if (person.lastContactedAt) card.add('X-RAPPORT-LAST-CONTACTED', escapeText(person.lastContactedAt));
  if (person.nextFollowUpAt) card.add('X-RAPPORT-NEXT-FOLLOW-UP', escapeText(person.nextFollowUpAt));
  for (const key in person.customFields)
    if (Object.hasOwn(person.customFields, key))
      card.add('X-RAPPORT-CUSTOM', escapeText(JSON.stringify({ k: key, v: person.customFields[key] })));
  card.add('REV', person.updatedAt.replace(/[-:]/g, '').replace(/\.\d+/, ''));
  return `${card.text}END:VCARD\r\n`;
}
