import type { Queryable } from '../../../platform/db/database.ts';
import { defaultTerms, type Terms, type TermsRecord } from '../../../shared/portal.ts';
import type { TermsVersion } from '../../../shared/portal-terms.ts';

const parse = (value: unknown): Terms => (typeof value === 'string' ? JSON.parse(value) : value) as Terms;

/** The terms in force for a person: the newest version, else version 0 with the defaults. */
export async function currentTerms(
  db: Queryable,
  workspaceId: string,
  personId: string,
): Promise<TermsRecord> {
  const row = await db
    .selectFrom('person_terms')
    .select(['version', 'terms', 'set_by', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('person_id', '=', personId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return { version: 0, terms: defaultTerms, setBy: null, setAt: null };
  return {
    version: row.version,
    terms: parse(row.terms),
    setBy: row.set_by,
    setAt: new Date(row.created_at).toISOString(),
  };
}

/**
 * Every version a person's terms went through, newest first. Bounded: versions are written by
 * hand (and customer writes are rate-limited), so a person has a handful, not thousands.
 */
export async function termsVersions(
  db: Queryable,
  workspaceId: string,
  personId: string,
): Promise<TermsVersion[]> {
  const rows = await db
    .selectFrom('person_terms')
    .select(['version', 'terms', 'set_by', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('person_id', '=', personId)
    .orderBy('version', 'desc')
    .limit(1000)
    .execute();
  return rows.map((row) => ({
    version: row.version,
    terms: parse(row.terms),
    setBy: row.set_by,
    setAt: new Date(row.created_at).toISOString(),
  }));
}
