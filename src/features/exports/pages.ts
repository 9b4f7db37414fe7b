import { sql } from 'kysely';
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
type PageRow = PersonRowWithBirthday & { sort_value: string };

async function readPage(
  db: Db,
  workspaceId: string,
  filters: ExportFilters & { customFieldMatches: string[] },
  sort: AnySort,
  cursor: Cursor | null,
  pageSize: number,
): Promise<PageRow[]> {
  const run = async (tx: Queryable) => {
    // The trigram thresholds of `q` are transaction-local settings, as in the list.
    if (filters.q) await tuneTrigrams(tx);
    const rows = await peopleListQuery(tx, workspaceId, { ...filters, limit: pageSize }, sort, cursor)
      .clearSelect()
      .select(exportedColumns)
      .select(sql<string | null>`to_char(birthday, 'YYYY-MM-DD')`.as('birthday_text'))
      .select(sortValue(sort).as('sort_value'))
      .execute();
    return rows as unknown as PageRow[];
  };
  return filters.q ? db.transaction().execute(run) : run(db);
}

/**
 * The people of the list's filters and sort, a keyset page at a time. The next page is read
 * while the caller formats this one: one page ahead at most, so memory stays at two pages
 * whatever the size, and nothing further is read until the caller asks for it.
 */
export async function* peoplePages(
  db: Db,
  workspaceId: string,
  filters: ExportFilters,
  pageSize = exportPageSize,
): AsyncGenerator<Person[]> {
  const sort = parsePersonSort(filters.sort);
  const customFieldMatches = filters.customField?.length
    ? await customFieldFilterMatches(db, workspaceId, 'person', filters.customField)
    : [];
  const read = (cursor: Cursor | null) =>
    readPage(db, workspaceId, { ...filters, customFieldMatches }, sort, cursor, pageSize);
  let pending: Promise<PageRow[]> | null = read(null);
  while (pending) {
    const rows: PageRow[] = await pending;
    // The list query reads limit + 1 rows: one more means there is a next page.
    const more = rows.length > pageSize;
    if (more) rows.length = pageSize;
    const last = rows.at(-1);
    pending = more && last ? read({ value: last.sort_value, id: last.id }) : null;
    // A consumer that stops early must not leave an unhandled rejection behind.
    pending?.catch(() => {});
    yield rows.map(personOutput);
  }
}
