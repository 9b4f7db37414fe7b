/**
 * `--reuse`: measure again on a database an earlier run kept (--keep), without loading it again
 * (e.g. after adding an index). The sample of people and organizations is read back from it.
 */
import { sql } from 'kysely';
import type { Db } from '../src/platform/db/database.ts';
import type { CreatePersonInput } from '../src/shared/people.ts';
import type { BenchOrganization, BenchPerson } from './generate.ts';
import type { LoadResult } from './load.ts';

export async function sampleFromDatabase(db: Db, workspaceId: string): Promise<LoadResult> {
  const count = async (table: string) =>
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(table)} where workspace_id = ${workspaceId}`.execute(db)
    ).rows[0]!.n;
  const people = await sql<{
    id: string;
    display_name: string;
    given_name: string | null;
    family_name: string | null;
    emails: { value: string; label: string | null }[];
    phones: { value: string; label: string | null }[];
    organization_id: string | null;
    owner_id: string | null;
    tags: string[];
  }>`select id, display_name, given_name, family_name, emails, phones, organization_id, owner_id, tags
     from people tablesample system (1) where workspace_id = ${workspaceId} and deleted_at is null limit 500`.execute(
    db,
  );
  const sample = people.rows.map((row): BenchPerson => {
    const input: CreatePersonInput = {
      givenName: row.given_name,
      familyName: row.family_name,
      emails: row.emails.map(({ value, label }) => ({ value, label })),
      phones: row.phones.map(({ value, label }) => ({ value, label })),
      organizationId: row.organization_id,
      ownerId: row.owner_id,
      tags: row.tags,
    };
    return { id: row.id, input, row: { display_name: row.display_name }, interactions: [] };
  });
  const organizations = await sql<{ id: string; domains: string[] }>`
    select id, domains from organizations tablesample system (5)
    where workspace_id = ${workspaceId} and deleted_at is null limit 200`.execute(db);
  const organizationSample = organizations.rows.map(
    (row): BenchOrganization => ({ id: row.id, domain: row.domains[0] ?? '', row: {} }),
  );
  const owners = await db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('email', 'like', 'staff%@bench.rapport.test')
    .execute();
  const hasInteractions = await sql<{
    found: boolean;
  }>`select to_regclass('interactions') is not null as found`.execute(db);
  return {
    people: await count('people'),
    organizations: await count('organizations'),
    interactions: hasInteractions.rows[0]?.found ? await count('interactions') : 0,
    ownerIds: owners.map((owner) => owner.id),
    sample,
    organizationSample,
    seconds: { generateAndInsert: 0, indexes: 0, analyze: 0 },
  };
}

/** A new API token for the bench admin (created by the first run's setup). */
export async function benchToken(base: string): Promise<string> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password-123' }),
  });
  if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const created = await fetch(`${base}/api/v1/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: `bench ${new Date().toISOString()}` }),
  });
  return ((await created.json()) as { token: string }).token;
}
