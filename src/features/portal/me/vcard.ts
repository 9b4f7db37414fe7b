import type { Person } from '../../../shared/people.ts';
import { foldLine, personToVCard } from '../../exports/vcard.ts';
import { escapeText } from '../../imports/vcard.ts';

/** Properties of the staff export that describe how the company sees the person, not the card. */
const internalProperty = /^(?:item\d+\.)?(?:X-RAPPORT-|NOTE[;:]|CATEGORIES[;:])/i;

/**
 * The customer's own card as vCard 4.0, written by the staff exporter without what is internal:
 * notes, tags, stage, source, owner and custom fields.
 */
export function myVCard(person: Person, organizationName: string | null): string {
  const card = personToVCard(
    {
      ...person,
      notes: null,
      tags: [],
      customFields: {},
      ownerId: null,
      organizationId: null,
      source: null,
      lastContactedAt: null,
      nextFollowUpAt: null,
      customDisplayName: false,
    },
    organizationName,
  );
  // A folded content line continues after CRLF + space: split on the other CRLFs only.
  const lines = card.split(/\r\n(?! )/).filter((line) => line !== '');
  return `${lines.filter((line) => !internalProperty.test(line)).join('\r\n')}\r\n`;
}

/** The card of a customer who has no record yet: only the address they signed in with. */
export function emailOnlyVCard(email: string): string {
  const value = escapeText(email);
  return ['BEGIN:VCARD', 'VERSION:4.0', `FN:${value}`, `EMAIL;PREF=1:${value}`, 'END:VCARD']
    .map(foldLine)
    .join('');
}
