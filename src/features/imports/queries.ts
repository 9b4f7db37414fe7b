import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import { organizationColumns } from '../organizations/queries.ts';
import { type PersonState, personValues } from '../people/normalize.ts';
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

/**
 * A person as one record of the batch parameter: the columns of `personColumns` (so import and
 * API write the same row), with the jsonb columns as values rather than JSON text, since the
 * whole batch is serialized once.
 */
export function personRecord(id: string, workspaceId: string, state: PersonState) {
  return { id, workspace_id: workspaceId, ...personValues(state) };
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

/**
 * Live people of the workspace sharing an email key, a phone key or (rows without either) a sort
 * name: one GIN scan per key column for the whole batch (`&&` with all the batch's keys).
 */
export async function findMatches(
  db: Queryable,
  workspaceId: string,
  keys: { emails: string[]; phones: string[]; names: string[] },
): Promise<PersonRowWithBirthday[]> {
  if (keys.emails.length + keys.phones.length + keys.names.length === 0) return [];
  // The key scans sit in subqueries the planner cannot merge with the workspace condition
  // (`offset 0`), and for this one statement sequential scans and JIT are off: with a few
  // thousand keys the planner takes the GIN scan for the whole table, so it would read the
  // table instead (30-50x slower on 100,000 embedded people than one bitmap scan of the index),
  // and compile the plan (1.5 s on 1M people). Rows come back whole, without a join on id that
  // was planned as a scan of the primary key; a person found twice is kept once below.
  const scan = (column: 'email_keys' | 'phone_keys', values: string[]) => sql`
    select *, to_char(birthday, 'YYYY-MM-DD') as birthday_text from (
      select * from people where ${sql.ref(column)} && cast(${values} as text[]) offset 0) k
    where k.workspace_id = ${workspaceId} and k.deleted_at is null`;
  await sql`select set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`.execute(db);
  try {
    const result = await sql<PersonRowWithBirthday>`
      ${scan('email_keys', keys.emails)}
      union all ${scan('phone_keys', keys.phones)}
      union all select *, to_char(birthday, 'YYYY-MM-DD') as birthday_text from people
        where workspace_id = ${workspaceId} and deleted_at is null
          and sort_name = any(cast(${keys.names} as text[]))
      order by created_at, id`.execute(db);
    const seen = new Set<string>();
    return result.rows.filter((row) => !seen.has(row.id) && seen.add(row.id));
  } finally {
    await sql`set local enable_seqscan to default`.execute(db);
    await sql`set local jit to default`.execute(db);
  }
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
