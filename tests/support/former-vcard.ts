/** The vCard writer as it was before its fast paths (2026-12-06): the reference of exports-vcard-fold.test.ts. */

import type { ExportPerson } from '../../src/features/exports/vcard.ts';
import { escapeText } from '../../src/features/imports/vcard.ts';

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
export function formerFoldLine(line: string): string {
  if (Buffer.byteLength(line) <= 75) return `${line}\r\n`;
  let out = '';
  let width = 0;
  let limit = 75;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (width + size > limit) {
      out += '\r\n ';
      width = 0;
      limit = 74; // the leading space counts
    }
    out += char;
    width += size;
  }
  return `${out}\r\n`;
}

/**
 * A person as a vCard 4.0. Standard properties carry what other apps understand; X-RAPPORT-*
 * properties carry the rest (stage, source, owner, custom fields, contact dates), so that our
 * own import reads back every field.
 */
export function formerPersonToVCard(person: ExportPerson, organizationName: string | null): string {
  const lines: string[] = ['BEGIN:VCARD', 'VERSION:4.0'];
  let group = 0;
  const add = (name: string, value: string, params: string[] = []) =>
    lines.push(`${[name, ...params].join(';')}:${value}`);
  const labelled = (
    name: string,
    value: string,
    item: { label: string | null; primary: boolean },
    types: Record<string, string>,
    extra: string[] = [],
  ) => {
    const params = [...extra];
    if (item.primary) params.push('PREF=1');
    const type = item.label === null ? undefined : types[item.label];
    if (item.label !== null && type === undefined) {
      group++;
      add(`item${group}.${name}`, value, params);
      add(`item${group}.X-ABLabel`, escapeText(item.label));
      return;
    }
    if (type) params.unshift(`TYPE=${type}`);
    add(name, value, params);
  };

  add('UID', `urn:uuid:${person.id}`);
  add('FN', escapeText(person.displayName));
  add(
    'N',
    [person.familyName, person.givenName, '', person.prefix, person.suffix]
      .map((part) => escapeText(part ?? ''))
      .join(';'),
  );
  add('X-RAPPORT-CUSTOM-DISPLAY-NAME', person.customDisplayName ? 'TRUE' : 'FALSE');
  if (person.nickname) add('NICKNAME', escapeText(person.nickname));
  if (person.pronouns) add('PRONOUNS', escapeText(person.pronouns));
  for (const email of person.emails) labelled('EMAIL', escapeText(email.value), email, labelTypes);
  for (const phone of person.phones)
    labelled('TEL', escapeText(phone.value), phone, phoneLabelTypes, ['VALUE=text']);
  for (const address of person.addresses) {
    const parts = ['', '', address.street, address.city, address.region, address.postalCode, address.country];
    labelled('ADR', parts.map((part) => escapeText(part ?? '')).join(';'), address, labelTypes);
  }
  for (const website of person.websites) labelled('URL', escapeText(website.value), website, labelTypes);
  for (const profile of person.social)
    add('SOCIALPROFILE', escapeText(profile.handle), [`SERVICE-TYPE=${param(profile.service)}`]);
  for (const date of person.importantDates) {
    group++;
    add(`item${group}.X-ABDATE`, date.date);
    add(`item${group}.X-ABLabel`, escapeText(date.label));
  }
  if (organizationName) add('ORG', escapeText(organizationName));
  if (person.organizationId) add('X-RAPPORT-ORGANIZATION-ID', person.organizationId);
  if (person.jobTitle) add('TITLE', escapeText(person.jobTitle));
  if (person.birthday) add('BDAY', person.birthday.replaceAll('-', ''));
  if (person.tags.length) add('CATEGORIES', person.tags.map(escapeText).join(','));
  if (person.notes !== null) add('NOTE', escapeText(person.notes));
  add('X-RAPPORT-STAGE', person.stage);
  if (person.source) add('X-RAPPORT-SOURCE', escapeText(person.source));
  if (person.ownerId) add('X-RAPPORT-OWNER-ID', person.ownerId);
  if (person.lastContactedAt) add('X-RAPPORT-LAST-CONTACTED', escapeText(person.lastContactedAt));
  if (person.nextFollowUpAt) add('X-RAPPORT-NEXT-FOLLOW-UP', escapeText(person.nextFollowUpAt));
  for (const [key, value] of Object.entries(person.customFields))
    add('X-RAPPORT-CUSTOM', escapeText(JSON.stringify({ k: key, v: value })));
  add('REV', person.updatedAt.replace(/[-:]/g, '').replace(/\.\d+/, ''));
  lines.push('END:VCARD');
  return lines.map(formerFoldLine).join('');
}
