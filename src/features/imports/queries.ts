import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import { organizationColumns } from '../organizations/queries.ts';
import { type PersonState, personColumns } from '../people/normalize.ts';
import type { PersonRowWithBirthday } from '../people/queries.ts';

/** Column types of a person row, for reading a batch from one JSON parameter. */
const personTypes: Record<string, string> = {
  id: 'uuid',
  workspace_id: 'uuid',
  given_name: 'text',
  family_name: 'text',
  prefix: 'text',
  suffix: 'text',
  nickname: 'text',
  pronouns: 'text',
  job_title: 'text',
  stage: 'text',
  source: 'text',
  owner_id: 'uuid',
  organization_id: 'uuid',
  birthday: 'date',
  emails: 'jsonb',
  phones: 'jsonb',
  addresses: 'jsonb',
  websites: 'jsonb',
  social: 'jsonb',
  important_dates: 'jsonb',
  tags: 'text[]',
  custom_fields: 'jsonb',
  notes: 'text',
  last_contacted_at: 'timestamptz',
  next_follow_up_at: 'timestamptz',
  display_name: 'text',
  custom_display_name: 'boolean',
  sort_name: 'text',
  search_name: 'text',
  search_text: 'text',
  email_keys: 'text[]',
  phone_keys: 'text[]',
};
const columnNames = Object.keys(personTypes);
const recordDefinition = sql.raw(columnNames.map((name) => `${name} ${personTypes[name]}`).join(', '));
const insertColumns = sql.raw(columnNames.join(', '));
const updateSet = sql.raw(
  columnNames
    .filter((name) => name !== 'id' && name !== 'workspace_id')
    .map((name) => `${name} = excluded.${name}`)
    .join(', '),
);

/** A person as one record of the batch parameter (jsonb columns as JSON, not as text). */
export function personRecord(id: string, workspaceId: string, state: PersonState) {
  return {
    ...personColumns(state),
    id,
    workspace_id: workspaceId,
    emails: state.emails,
    phones: state.phones,
    addresses: state.addresses,
    websites: state.websites,
    social: state.social,
    important_dates: state.importantDates,
    custom_fields: state.customFields,
  };
}
export type PersonRecord = ReturnType<typeof personRecord>;

/**
 * Inserts new people and rewrites matched ones in one statement: the batch travels as one
 * jsonb parameter (no per-row parameters to bind), and existing ids take the update branch,
 * guarded by workspace.
 */
export async function upsertPeople(db: Queryable, records: PersonRecord[]): Promise<void> {
  if (records.length === 0) return;
  await sql`
    insert into people (${insertColumns})
    select ${insertColumns} from jsonb_to_recordset(cast(${JSON.stringify(records)} as jsonb)) as r(${recordDefinition})
    on conflict (id) do update set ${updateSet}, version = people.version + 1, updated_at = now()
    where people.workspace_id = excluded.workspace_id`.execute(db);
}

/** Live people of the workspace sharing an email key, a phone key or (rows without either) a sort name. */
export async function findMatches(
  db: Queryable,
  workspaceId: string,
  keys: { emails: string[]; phones: string[]; names: string[] },
): Promise<PersonRowWithBirthday[]> {
  if (keys.emails.length + keys.phones.length + keys.names.length === 0) return [];
  // One GIN probe per key (`@>` on a one-key array, in a subquery the planner cannot merge with
  // the workspace condition): `&&` with a thousand keys was planned as a scan of the workspace.
  const probe = (column: 'email_keys' | 'phone_keys', keys: string[]) => sql`
    select p.id from unnest(cast(${keys} as text[])) k
    cross join lateral (
      select id, workspace_id, deleted_at from people where ${sql.ref(column)} @> array[k] offset 0) p
    where p.workspace_id = ${workspaceId} and p.deleted_at is null`;
  const result = await sql<PersonRowWithBirthday>`
    select *, to_char(birthday, 'YYYY-MM-DD') as birthday_text from people where id in (
      ${probe('email_keys', keys.emails)}
      union ${probe('phone_keys', keys.phones)}
      union select id from people where workspace_id = ${workspaceId} and deleted_at is null
        and sort_name = any(cast(${keys.names} as text[])))
    order by created_at, id`.execute(db);
  return result.rows;
}

/** Organizations of the workspace by folded name (the oldest one when several share it). */
export async function findOrganizationsByName(db: Queryable, workspaceId: string, foldedNames: string[]) {
  if (foldedNames.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom('organizations')
    .select(['id', 'sort_name'])
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .where('sort_name', 'in', foldedNames)
    .orderBy('created_at', 'desc')
    .execute();
  return new Map(rows.map((row) => [row.sort_name, row.id]));
}

export async function insertOrganizations(db: Queryable, workspaceId: string, names: string[]) {
  if (names.length === 0) return [];
  const rows = names.map((name) => ({
    id: newId(),
    workspace_id: workspaceId,
    ...organizationColumns({
      name,
      domains: [],
      industry: null,
      size: null,
      address: null,
      parentId: null,
      tags: [],
      customFields: {},
      notes: null,
    }),
  }));
  await db.insertInto('organizations').values(rows).execute();
  return rows;
}

/** Which of these ids are live organizations / staff users of the workspace. */
export async function existingIds(
  db: Queryable,
  table: 'organizations' | 'users',
  workspaceId: string,
  ids: string[],
) {
  if (ids.length === 0) return new Set<string>();
  let query = db
    .selectFrom(table)
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids);
  if (table === 'organizations') query = query.where(sql.ref('deleted_at'), 'is', null);
  const rows = await query.execute();
  return new Set(rows.map((row) => row.id));
}
