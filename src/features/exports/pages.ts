import { type RawBuilder, sql } from 'kysely';
import type { Db, Queryable } from '../../platform/db/database.ts';
import type { ExportPeopleQuery } from '../../shared/exports.ts';
import type { Person } from '../../shared/people.ts';
import { customFieldFilterMatches } from '../custom-fields/service.ts';
import { type AnySort, parsePersonSort, sortValue, tuneTrigrams } from '../people/keyset.ts';
import { type PersonRowWithBirthday, peopleListQuery, personOutput } from '../people/queries.ts';

/** Rows read per query: keyset pages of the list itself, so every list filter applies. */
export const exportPageSize = 10_000;

/**
 * What an export reads of a person: the list query's row without the search and key columns
 * (search text, trigram names, the notes tsvector), which are large and never exported.
 */
const exportedColumns = [
  'id',
  'given_name',
  'family_name',
  'prefix',
  'suffix',
  'nickname',
  'display_name',
  'custom_display_name',
  'pronouns',
  'job_title',
  'stage',
  'source',
  'owner_id',
  'organization_id',
  'emails',
  'phones',
  'addresses',
  'websites',
  'social',
  'important_dates',
  'tags',
  'custom_fields',
  'notes',
  'last_contacted_at',
  'next_follow_up_at',
  'photo_version',
  'version',
  'created_at',
  'updated_at',
] as const;

export type ExportFilters = Omit<ExportPeopleQuery, 'format' | 'columns'>;
type Cursor = { value: string; id: string };
type Keyed = { id: string; sort_value: string };
type PageRow = PersonRowWithBirthday & Keyed;
/** A person as the database wrote it: Person JSON text, and the organization's name when asked. */
export type PersonText = Keyed & { person: string; organization_name: string | null };
type PageQuery = ReturnType<ReturnType<typeof peopleListQuery>['clearSelect']>;

const isoUtc = (column: string) =>
  sql`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A person as the JSON text of `personOutput` (same keys in the same order, same values once
 * parsed), built by the database: the driver then decodes one text column per row instead of
 * thirty, and JSON.parse builds the object natively. Timestamps as `Date.toISOString` writes
 * them (milliseconds, truncated as the drivers do).
 */
const personJson = sql<string>`json_build_object(
  'id', id, 'givenName', given_name, 'familyName', family_name, 'prefix', prefix,
  'suffix', suffix, 'nickname', nickname, 'displayName', display_name, 'pronouns', pronouns,
  'jobTitle', job_title, 'stage', stage, 'source', source, 'ownerId', owner_id,
  'organizationId', organization_id, 'birthday', to_char(birthday, 'YYYY-MM-DD'),
  'emails', emails, 'phones', phones, 'addresses', addresses, 'websites', websites,
  'social', social, 'importantDates', important_dates, 'tags', tags,
  'customFields', custom_fields, 'notes', notes,
  'lastContactedAt', ${isoUtc('last_contacted_at')}, 'nextFollowUpAt', ${isoUtc('next_follow_up_at')},
  'photoUrl', case when photo_version is null then null
    else '/api/v1/people/' || id || '/photo?v=' || photo_version end,
  'version', version, 'createdAt', ${isoUtc('created_at')}, 'updatedAt', ${isoUtc('updated_at')}
)::text`;

/** A CSV line built by the database, or null where JavaScript must write it (see csvLineSql). */
export type CsvLine = Keyed & { line: string | null };

/** The organization's name, deleted or not (as the export always wrote it). */
const organizationName = sql<string | null>`(select o.name from organizations o
  where o.id = people.organization_id and o.workspace_id = people.workspace_id)`;

async function readPage<Row extends Keyed>(
  db: Db,
  workspaceId: string,
  filters: ExportFilters & { customFieldMatches: string[] },
  sort: AnySort,
  cursor: Cursor | null,
  pageSize: number,
  select: (query: PageQuery) => PageQuery,
): Promise<Row[]> {
  const run = async (tx: Queryable) => {
    // The trigram thresholds of `q` are transaction-local settings, as in the list.
    if (filters.q) await tuneTrigrams(tx);
    const query = peopleListQuery(
      tx,
      workspaceId,
      { ...filters, limit: pageSize },
      sort,
      cursor,
    ).clearSelect();
    const rows = await select(query).select(sortValue(sort).as('sort_value')).execute();
    return rows as unknown as Row[];
  };
  return filters.q ? db.transaction().execute(run) : run(db);
}

/**
 * The rows of the list's filters and sort, a keyset page at a time. The next page is read
 * while the caller formats this one: one page ahead at most, so memory stays at two pages
 * whatever the size, and nothing further is read until the caller asks for it.
 */
async function* keysetPages<Row extends Keyed>(
  db: Db,
  workspaceId: string,
  filters: ExportFilters,
  pageSize: number,
  select: (query: PageQuery) => PageQuery,
): AsyncGenerator<Row[]> {
  const sort = parsePersonSort(filters.sort);
  const customFieldMatches = filters.customField?.length
    ? await customFieldFilterMatches(db, workspaceId, 'person', filters.customField)
    : [];
  const read = (cursor: Cursor | null) =>
    readPage<Row>(db, workspaceId, { ...filters, customFieldMatches }, sort, cursor, pageSize, select);
  let pending: Promise<Row[]> | null = read(null);
  while (pending) {
    const rows: Row[] = await pending;
    // The list query reads limit + 1 rows: one more means there is a next page.
    const more = rows.length > pageSize;
    if (more) rows.length = pageSize;
    const last = rows.at(-1);
    pending = more && last ? read({ value: last.sort_value, id: last.id }) : null;
    // A consumer that stops early must not leave an unhandled rejection behind.
    pending?.catch(() => {});
    yield rows;
  }
}

/** The people as `personOutput` gives them, page by page (the reference the text pages are checked against). */
export async function* peoplePages(
  db: Db,
  workspaceId: string,
  filters: ExportFilters,
  pageSize = exportPageSize,
): AsyncGenerator<Person[]> {
  const select = (query: PageQuery) =>
    query
      .select(exportedColumns)
      .select(
        sql<string | null>`to_char(birthday, 'YYYY-MM-DD')`.as('birthday_text'),
      ) as unknown as PageQuery;
  for await (const rows of keysetPages<PageRow>(db, workspaceId, filters, pageSize, select))
    yield rows.map(personOutput);
}

/**
 * The people as Person JSON texts built by the database, page by page, with the organization
 * name when `withOrganization` (CSV and vCard write it).
 */
export async function* personTextPages(
  db: Db,
  workspaceId: string,
  filters: ExportFilters,
  withOrganization: boolean,
  pageSize = exportPageSize,
): AsyncGenerator<PersonText[]> {
  const select = (query: PageQuery) =>
    query
      .select('id')
      .select(personJson.as('person'))
      .select(
        (withOrganization ? organizationName : sql<null>`null`).as('organization_name'),
      ) as unknown as PageQuery;
  yield* keysetPages<PersonText>(db, workspaceId, filters, pageSize, select);
}

/** The people as CSV lines built by the database (`line`: see csvLineSql), page by page. */
export async function* csvLinePages(
  db: Db,
  workspaceId: string,
  filters: ExportFilters,
  line: RawBuilder<string | null>,
  pageSize = exportPageSize,
): AsyncGenerator<CsvLine[]> {
  const select = (query: PageQuery) => query.select('id').select(line.as('line')) as unknown as PageQuery;
  yield* keysetPages<CsvLine>(db, workspaceId, filters, pageSize, select);
}

/** Some people of the workspace as Person JSON texts with their organization's name, by id. */
export async function personTextsByIds(
  db: Db,
  workspaceId: string,
  ids: string[],
): Promise<Map<string, PersonText>> {
  const rows = await db
    .selectFrom('people')
    .select('id')
    .select(personJson.as('person'))
    .select(organizationName.as('organization_name'))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', sql<string>`any(cast(${ids} as uuid[]))`)
    .execute();
  return new Map(rows.map((row) => [row.id, row as unknown as PersonText]));
}
