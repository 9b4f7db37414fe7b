import { type RawBuilder, sql } from 'kysely';
import type { Db, Queryable } from '../../platform/db/database.ts';
import type { ExportPeopleQuery } from '../../shared/exports.ts';
import type { Person } from '../../shared/people.ts';
import { customFieldFilterMatches } from '../custom-fields/service.ts';
import {
  type AnySort,
  atOrBeforeCursor,
  parsePersonSort,
  sortKey,
  sortValue,
  tuneTrigrams,
} from '../people/keyset.ts';
import {
  listQueryMatch,
  type PersonRowWithBirthday,
  peopleListQuery,
  personOutput,
  type QueryMatch,
} from '../people/queries.ts';

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
type PageQuery = ReturnType<ReturnType<typeof peopleListQuery>['clearSelect']>;

/** A person's text built by the database (a CSV line, Person JSON), or null where JavaScript must write it. */
export type TextLine = Keyed & { line: string | null };

/**
 * Runs an export read in a transaction of its own: without JIT (compiling the page's
 * expressions cost 35–60 ms a page on PostgreSQL, more than it saved), without parallel workers
 * (the export reads pages side by side already; a page read up to a known key was planned with
 * workers that built the same text for ~3× the CPU), and with the trigram thresholds of `q`
 * (transaction-local settings, as in the list).
 */
function onExportConnection<T>(db: Db, withQ: boolean, run: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`select set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`.execute(
      tx,
    );
    if (withQ) await tuneTrigrams(tx);
    return run(tx);
  });
}

type PageFilters = ExportFilters & { customFieldMatches: string[]; qMatch: QueryMatch | null };

/** The filters of every page: custom-field matches and how `q` matches, decided once for the export. */
async function pageFilters(
  db: Db,
  workspaceId: string,
  filters: ExportFilters,
  sort: AnySort,
): Promise<PageFilters> {
  const customFieldMatches = filters.customField?.length
    ? await customFieldFilterMatches(db, workspaceId, 'person', filters.customField)
    : [];
  const all = { ...filters, customFieldMatches };
  const exactList = pageQuery(db, workspaceId, { ...all, qMatch: 'exact' }, sort, null, 1);
  return { ...all, qMatch: await listQueryMatch(db, filters.q, exactList) };
}

/**
 * The list's rows after `cursor`: pageSize + 1 of them (one more tells that a next page exists),
 * or, given `upTo`, every row up to and including that key (a page whose end is known).
 */
function pageQuery(
  tx: Queryable,
  workspaceId: string,
  filters: PageFilters,
  sort: AnySort,
  cursor: Cursor | null,
  pageSize: number,
  upTo: Cursor | null = null,
): PageQuery {
  const query = peopleListQuery(tx, workspaceId, { ...filters, limit: pageSize }, sort, cursor).clearSelect();
  return upTo ? query.where(atOrBeforeCursor(sort, upTo)).clearLimit() : query;
}

async function readPage<Row extends Keyed>(
  db: Db,
  workspaceId: string,
  filters: PageFilters,
  sort: AnySort,
  cursor: Cursor | null,
  pageSize: number,
  select: (query: PageQuery) => PageQuery,
  upTo: Cursor | null = null,
): Promise<Row[]> {
  return onExportConnection(db, filters.qMatch === 'forgiving', async (tx) => {
    const query = pageQuery(tx, workspaceId, filters, sort, cursor, pageSize, upTo);
    const rows = await select(query).select(sortValue(sort).as('sort_value')).execute();
    return rows as unknown as Row[];
  });
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
  const all = await pageFilters(db, workspaceId, filters, sort);
  const read = (cursor: Cursor | null) => readPage<Row>(db, workspaceId, all, sort, cursor, pageSize, select);
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
 * A page of people's texts: `text`, joined by the database with the separator (one value for
 * the whole page instead of a row per person), or `lines` one by one when the text of some
 * person is NULL (JavaScript must write it).
 */
export type TextPage = { text: string } | { lines: TextLine[] };

type JoinedRow = {
  text: string | null;
  rows: string;
  missing: string;
  last_value: string | null;
  last_id: string | null;
};

/** How an export reads its text pages: the page size, and how many pages are read at once. */
export type TextPageOptions = { pageSize?: number; readers?: number };

/**
 * Each person's `line` (a CSV line from csvLineSql, Person JSON from personJsonText) page by
 * page. With one reader (the embedded database has one connection) the next page is read while
 * the caller writes this one, as keysetPages does. With more, that many pages are read at once,
 * each by its own connection, so that the database builds text on every core: a cheap query
 * first finds where each page ends (the key of its last row), then the page reads up to it.
 */
export async function* textPages(
  db: Db,
  workspaceId: string,
  filters: ExportFilters,
  line: RawBuilder<string | null>,
  separator: '' | '\n',
  { pageSize = exportPageSize, readers = 1 }: TextPageOptions = {},
): AsyncGenerator<TextPage> {
  const sort = parsePersonSort(filters.sort);
  const all = await pageFilters(db, workspaceId, filters, sort);
  const withQ = all.qMatch === 'forgiving';
  const direction = sql.raw(sort.direction);
  type Read = { page: TextPage; next: Cursor | null };
  /** The page after `cursor`: pageSize rows (and the cursor of the next page), or those up to `upTo`. */
  const read = async (cursor: Cursor | null, upTo: Cursor | null = null): Promise<Read> => {
    // A page up to a known key takes every row up to it; positions past pageSize are for a limited page.
    const limit = upTo ? Number.MAX_SAFE_INTEGER : pageSize;
    const joined = await onExportConnection(db, withQ, (tx) => {
      const rows = pageQuery(tx, workspaceId, all, sort, cursor, pageSize, upTo)
        .select(['id', sortValue(sort).as('sort_value'), line.as('line')])
        .select(
          sql<number>`row_number() over (order by ${sortKey(sort)} ${direction}, id ${direction})`.as(
            'position',
          ),
        );
      return tx
        .selectFrom(rows.as('page'))
        .select([
          sql<
            string | null
          >`string_agg(line, ${separator} order by position) filter (where position <= ${limit})`.as('text'),
          sql<string>`count(*)`.as('rows'),
          sql<string>`count(*) filter (where line is null and position <= ${limit})`.as('missing'),
          sql<string | null>`max(sort_value) filter (where position = ${limit})`.as('last_value'),
          sql<string | null>`max(id::text) filter (where position = ${limit})`.as('last_id'),
        ])
        .executeTakeFirstOrThrow() as Promise<JoinedRow>;
    });
    if (Number(joined.missing) === 0) {
      const more = !upTo && Number(joined.rows) > pageSize;
      const next = more ? { value: joined.last_value!, id: joined.last_id! } : null;
      return { page: { text: joined.text ?? '' }, next };
    }
    // Read again row by row; the next page starts after what this reading returned.
    const select = (query: PageQuery) => query.select('id').select(line.as('line')) as unknown as PageQuery;
    const lines = await readPage<TextLine>(db, workspaceId, all, sort, cursor, pageSize, select, upTo);
    const more = !upTo && lines.length > pageSize;
    if (more) lines.length = pageSize;
    const last = lines.at(-1);
    return { page: { lines }, next: more && last ? { value: last.sort_value, id: last.id } : null };
  };
  if (readers <= 1) {
    let pending: Promise<Read> | null = read(null);
    while (pending) {
      const { page, next }: Read = await pending;
      pending = next ? read(next) : null;
      // A consumer that stops early must not leave an unhandled rejection behind.
      pending?.catch(() => {});
      yield page;
    }
    return;
  }
  /** The key of the pageSize-th row after `cursor`, or null when the rows after it fit in one page. */
  const pageEnd = (cursor: Cursor | null) =>
    onExportConnection(db, withQ, async (tx) => {
      const ends = await pageQuery(tx, workspaceId, all, sort, cursor, pageSize)
        .select(['id', sortValue(sort).as('sort_value')])
        .clearLimit()
        .limit(2)
        .offset(pageSize - 1)
        .execute();
      return ends.length === 2 ? { value: ends[0]!.sort_value, id: ends[0]!.id } : null;
    });
  const reading: Promise<Read>[] = [];
  let after: Cursor | null = null;
  let lastStarted = false;
  const startReads = async () => {
    while (!lastStarted && reading.length < readers) {
      const upTo = await pageEnd(after);
      const page = read(after, upTo);
      page.catch(() => {});
      reading.push(page);
      if (upTo) after = upTo;
      else lastStarted = true;
    }
  };
  await startReads();
  while (reading.length > 0) {
    const { page, next } = await reading.shift()!;
    // Only the last page is read without a known end: rows written since may follow it.
    if (next) {
      after = next;
      lastStarted = false;
    }
    const starting = startReads();
    starting.catch(() => {});
    yield page;
    await starting;
  }
}

/** Some people of the workspace as the reference reads them (`personOutput`), by id. */
export async function peopleByIds(db: Db, workspaceId: string, ids: string[]): Promise<Map<string, Person>> {
  const rows = await db
    .selectFrom('people')
    .select(exportedColumns)
    .select(sql<string | null>`to_char(birthday, 'YYYY-MM-DD')`.as('birthday_text'))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', sql<string>`any(cast(${ids} as uuid[]))`)
    .execute();
  return new Map(rows.map((row) => [row.id, personOutput(row as unknown as PersonRowWithBirthday)]));
}
