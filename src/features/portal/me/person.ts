import type { CustomerAuth } from '../../../platform/auth/portal-sessions.ts';
import type { Queryable } from '../../../platform/db/database.ts';
import type { Person } from '../../../shared/people.ts';
import { defaultTerms, type Terms } from '../../../shared/portal.ts';
import type { MyContact, TermsRecordOutput } from '../../../shared/portal-me.ts';
import { findPerson, personOutput } from '../../people/queries.ts';
import { findPersonByEmail } from '../customer.ts';

/**
 * The signed-in customer's live person row, or undefined when they have none yet. A session
 * opened before staff created the record is not linked yet: the email finds it, as it does for
 * ensurePerson.
 */
export async function findMyPersonRow(db: Queryable, customer: CustomerAuth, lock = false) {
  if (customer.personId) {
    const row = await findPerson(db, customer.workspaceId, customer.personId, lock);
    if (row) return row;
  }
  const byEmail = await findPersonByEmail(db, customer.workspaceId, customer.email);
  return byEmail ? findPerson(db, customer.workspaceId, byEmail.id, lock) : undefined;
}

/** What of the person record the customer sees: contact details, never stage, tags or notes. */
export function contactOf(person: Person): MyContact {
  return {
    id: person.id,
    version: person.version,
    displayName: person.displayName,
    givenName: person.givenName,
    familyName: person.familyName,
    nickname: person.nickname,
    pronouns: person.pronouns,
    jobTitle: person.jobTitle,
    birthday: person.birthday,
    emails: person.emails,
    phones: person.phones,
    addresses: person.addresses,
    websites: person.websites,
    social: person.social,
    updatedAt: person.updatedAt,
  };
}

export { personOutput };

/** Every version of the person's terms, newest first; the defaults (version 0) when none. */
export async function termsHistory(
  db: Queryable,
  workspaceId: string,
  personId: string | null,
): Promise<TermsRecordOutput[]> {
  if (!personId) return [];
  const rows = await db
    .selectFrom('person_terms')
    .select(['version', 'terms', 'set_by', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('person_id', '=', personId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((row) => ({
    version: row.version,
    terms: row.terms as Terms,
    setBy: row.set_by,
    setAt: row.created_at.toISOString(),
  }));
}

export const defaultTermsRecord: TermsRecordOutput = {
  version: 0,
  terms: defaultTerms,
  setBy: null,
  setAt: null,
};
