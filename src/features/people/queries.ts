import { type SelectQueryBuilder, sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { foldForSearch, type ListPeopleQuery, normalizeTags, type Person } from '../../shared/people.ts';
import { type AnySort, afterCursor, likeEscape, sortKey, sortValue } from './keyset.ts';
import type { PersonColumns, PersonState } from './normalize.ts';
import type { PersonRow } from './schema.ts';

/** `date` columns are read as text: drivers would otherwise shift them by the local time zone. */
const birthdayText = sql<string | null>`to_char(birthday, 'YYYY-MM-DD')`.as('birthday_text');
type Row = PersonRow & { birthday_text: string | null };

export type PersonRowWithBirthday = Row;
const iso = (value: Date | null) => value?.toISOString() ?? null;

/** The stored state of a person, as the normalizer works on it. */
export function stateOf(row: Row): PersonState {
  return {
    givenName: row.given_name,
    familyName: row.family_name,
    prefix: row.prefix,
    suffix: row.suffix,
    nickname: row.nickname,
    customDisplayName: row.custom_display_name ? row.display_name : null,
    pronouns: row.pronouns,
    jobTitle: row.job_title,
    stage: row.stage,
    source: row.source,
    ownerId: row.owner_id,
    organizationId: row.organization_id,
    birthday: row.birthday_text,
    emails: row.emails as PersonState['emails'],
    phones: row.phones as PersonState['phones'],
    addresses: row.addresses as PersonState['addresses'],
    websites: row.websites as PersonState['websites'],
    social: row.social as PersonState['social'],
    importantDates: row.important_dates as PersonState['importantDates'],
    tags: row.tags,
    customFields: row.custom_fields,
    notes: row.notes,
    lastContactedAt: iso(row.last_contacted_at),
    nextFollowUpAt: iso(row.next_follow_up_at),
  };
}

/** Versioned, so that browsers may cache a photo forever. */
export function photoUrl(id: string, photoVersion: number | null): string | null {
  return photoVersion === null ? null : `/api/v1/people/${id}/photo?v=${photoVersion}`;
}

export function personOutput(row: Row): Person {
  const {
    customDisplayName: _custom,
    givenName,
    familyName,
    prefix,
    suffix,
    nickname,
    ...rest
  } = stateOf(row);
  return {
    id: row.id,
    givenName,
    familyName,
    prefix,
    suffix,
    nickname,
    displayName: row.display_name,
    ...rest,
    photoUrl: photoUrl(row.id, row.photo_version ?? null),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** One live (not deleted) person of the workspace; `lock` takes the row lock for an update. */
export function findPerson(db: Queryable, workspaceId: string, id: string, lock = false) {
  let query = db
    .selectFrom('people')
    .selectAll()
    .select(birthdayText)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export function findDeletedPerson(db: Queryable, workspaceId: string, id: string) {
  return db
    .selectFrom('people')
    .selectAll()
    .select(birthdayText)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is not', null)
    .forUpdate()
    .executeTakeFirst();
}

export function insertPerson(db: Queryable, values: { id: string; workspace_id: string } & PersonColumns) {
  return db
    .insertInto('people')
    .values(values)
    .returningAll()
    .returning(birthdayText)
    .executeTakeFirstOrThrow();
}

/** Several people in one statement; the rows come back in no promised order (match them by id). */
export function insertPeople(
  db: Queryable,
  values: ({ id: string; workspace_id: string } & PersonColumns)[],
) {
  return db.insertInto('people').values(values).returningAll().returning(birthdayText).execute();
}

/** Which of the given staff users and organizations belong to the workspace, in one round trip. */
export async function existingReferences(
  db: Queryable,
  workspaceId: string,
  userIds: string[],
  organizationIds: string[],
): Promise<Set<string>> {
  if (userIds.length === 0 && organizationIds.length === 0) return new Set();
  const result = await sql<{ id: string }>`
    select id from users where workspace_id = ${workspaceId} and id = any(${userIds}::uuid[])
    union all
    select id from organizations where workspace_id = ${workspaceId} and id = any(${organizationIds}::uuid[])
      and deleted_at is null`.execute(db);
  return new Set(result.rows.map((row) => row.id));
}

export function updatePersonRow(
  db: Queryable,
  workspaceId: string,
  id: string,
  values: Partial<PersonColumns> & {
    deleted_at?: Date | null;
    updated_at?: Date;
    detached_organization_id?: null;
  },
) {
  return db
    .updateTable('people')
    .set({ ...values, version: sql<number>`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .returning(birthdayText)
    .executeTakeFirstOrThrow();
}

export async function workspaceRegion(db: Queryable, workspaceId: string): Promise<string> {
  const row = await db
    .selectFrom('workspaces')
    .select(sql<string>`default_region`.as('region'))
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  return row?.region ?? 'US';
}

export async function userExists(db: Queryable, workspaceId: string, userId: string) {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function organizationExists(db: Queryable, workspaceId: string, id: string) {
  const row = await db
    .selectFrom('organizations')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The trigram / substring condition shared by the list's `q` and by search. `q` is folded
 * (foldForSearch); a query that looks like a phone number also matches by its digits.
 */
type TextTable = 'people' | 'organizations';

/** The folded query `q` is part of the search text (names, emails, tags, job title), or of a phone's digits. */
function containsQuery(q: string, table: TextTable) {
  const text = sql.ref(`${table}.search_text`);
  const phone = phoneLike(q);
  return sql<boolean>`(${text} like ${`%${likeEscape(q)}%`} ${phone ? sql`or ${text} like ${phone}` : sql``})`;
}

/**
 * How a list's `q` matches. `exact`: the query is part of the text (or a phone's digits).
 * `forgiving`: that, or a name similar to it (trigram similarity, thresholds of tuneTrigrams),
 * used only when nobody matches exactly, as search does: typos are tolerated, but a list
 * filtered by a word that exists shows who has it, not every name that looks a little like it.
 * Finding the similar names rechecks thousands of rows on a big table (~100–400 ms on 1M people).
 */
export type QueryMatch = 'exact' | 'forgiving';

export function matchesText(q: string, table: TextTable, match: QueryMatch) {
  if (match === 'exact') return containsQuery(q, table);
  const name = sql.ref(`${table}.search_name`);
  return sql<boolean>`(${name} % ${q} or ${q} <% ${name} or ${containsQuery(q, table)})`;
}

/**
 * The match a list filtered by the raw `q` uses: exact when a row passing all the list's filters
 * contains the query, else forgiving. `exactList` is the list's query with `qMatch: 'exact'` and
 * no cursor; it is asked whether it has a row, unordered (so the planner can use the trigram
 * index instead of walking the sort order). Null for a query that folds to nothing. Forgiving
 * needs tuneTrigrams in the same transaction. An export decides once for all its pages; a list
 * page (listPageWithQuery) asks only when nothing after its cursor contains the query, so a page
 * read after the last exact match was deleted lists similar names.
 */
export async function listQueryMatch<DB, TB extends keyof DB, O>(
  db: Queryable,
  raw: string | undefined,
  exactList: SelectQueryBuilder<DB, TB, O>,
): Promise<QueryMatch | null> {
  if (!raw || !foldForSearch(raw)) return null;
  const rows = exactList.clearOrderBy().clearLimit().clearSelect().select(sql<number>`1`.as('one'));
  const found = await sql<{ found: boolean }>`select exists (${rows}) as found`.execute(db);
  return found.rows[0]!.found ? 'exact' : 'forgiving';
}

/**
 * `%4155550123%` for a query such as "(415) 555-0123", else null. Numbers are stored in E.164, so
 * the international prefix 00 (0048 512… for +48 512…) and a trunk "(0)" (+44 (0)20…) are dropped.
 */
export function phoneLike(q: string): string | null {
  if (!/^[\d\s()+.\-/]+$/.test(q)) return null;
  const all = q.replace(/\(0\)/g, '').replace(/\D/g, '');
  // 00 is an international prefix only before a whole number ("0012" may end 555-0012).
  const digits = /^\s*00/.test(q) && all.length >= 10 ? all.slice(2) : all;
  return digits.length >= 3 ? `%${digits}%` : null;
}

/**
 * One page of live people, filtered, in the sort's order (limit + 1 rows). `customFieldMatches`
 * are jsonb documents the custom fields must contain (built from the definitions by the service).
 * Not yet run (tests EXPLAIN it to check that each filter has an index).
 */
export function peopleListQuery(
  db: Queryable,
  workspaceId: string,
  filters: ListPeopleQuery & {
    q?: string | undefined;
    /** From listQueryMatch; exact when not given. */
    qMatch?: QueryMatch | null;
    customFieldMatches?: string[];
  },
  sort: AnySort,
  cursor: { value: string; id: string } | null,
) {
  let query = db
    .selectFrom('people')
    .selectAll()
    .select(birthdayText)
    .select(sortValue(sort).as('sort_value'))
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null);
  const q = filters.q ? foldForSearch(filters.q) : '';
  if (q) query = query.where(matchesText(q, 'people', filters.qMatch ?? 'exact'));
  if (filters.stage?.length) query = query.where('stage', 'in', filters.stage);
  if (filters.tag?.length)
    query = query.where('tags', '@>', sql<string[]>`cast(${normalizeTags(filters.tag)} as text[])`);
  if (filters.ownerId) query = query.where('owner_id', '=', filters.ownerId);
  if (filters.organizationId) query = query.where('organization_id', '=', filters.organizationId);
  // Written exactly as the index expressions of migration 0006, so that the planner uses them.
  if (filters.hasEmail !== undefined)
    query = query.where(sql<boolean>`(cardinality(email_keys) > 0) = ${filters.hasEmail}`);
  if (filters.hasPhone !== undefined)
    query = query.where(sql<boolean>`(cardinality(phone_keys) > 0) = ${filters.hasPhone}`);
  const lastContacted = sql`coalesce(last_contacted_at, '-infinity'::timestamptz)`;
  if (filters.lastContactedBefore)
    query = query.where(sql<boolean>`${lastContacted} < cast(${filters.lastContactedBefore} as timestamptz)`);
  if (filters.lastContactedAfter)
    query = query.where(sql<boolean>`${lastContacted} >= cast(${filters.lastContactedAfter} as timestamptz)`);
  for (const match of filters.customFieldMatches ?? [])
    query = query.where(sql<boolean>`custom_fields @> cast(${match} as jsonb)`);
  if (cursor) query = query.where(afterCursor(sort, cursor));
  return query
    .orderBy(sortKey(sort), sort.direction)
    .orderBy('id', sort.direction)
    .limit(filters.limit + 1);
}
