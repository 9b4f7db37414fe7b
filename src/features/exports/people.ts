import { sql } from 'kysely';
import type { Db, Queryable } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { Auth, RequestContext } from '../../platform/http/context.ts';
import {
  type ExportPeopleQuery,
  type PersonExportColumn,
  personExportColumns,
} from '../../shared/exports.ts';
import { deriveDisplayName, type Person } from '../../shared/people.ts';
import { listDefinitions } from '../custom-fields/queries.ts';
import { csvLine, type Delimiter } from '../imports/csv.ts';
import { compactJson } from './compact-json.ts';
import { type Column, csvLineSql } from './csv-sql.ts';
import {
  type ExportFilters,
  exportPageSize,
  peopleByIds,
  peoplePages,
  type TextLine,
  textPages,
} from './pages.ts';
import { personJsonText } from './person-json-sql.ts';
import { type ExportPerson, foldLine, personToVCard } from './vcard.ts';
import { personVCardText } from './vcard-sql.ts';

/** The CSV columns asked for (400 naming an unknown one), or null for all of them. */
export function parseColumns(columns: string | undefined): Column[] | null {
  if (columns === undefined || columns.trim() === '') return null;
  const names = columns
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter(
    (name) => !(personExportColumns as readonly string[]).includes(name) && !/^customFields\..+/.test(name),
  );
  if (unknown.length > 0) {
    const message = `${unknown.join(', ')}: not a column. Choose among ${personExportColumns.join(', ')} and customFields.<key>.`;
    throw new AppError('validation_failed', `query.columns: ${message}`, {
      errors: [{ path: 'query.columns', message }],
    });
  }
  return names as Column[];
}

/** The workspace's person custom fields, in their defined order (values are checked against them). */
async function customFieldKeys(db: Queryable, workspaceId: string): Promise<string[]> {
  return (await listDefinitions(db, workspaceId, 'person')).map((definition) => definition.key);
}

/**
 * Organization names by id, read once per organization for the whole export (one query per
 * page for the ids not seen yet).
 */
function organizationNames(db: Queryable, workspaceId: string) {
  const names = new Map<string, string | undefined>();
  return async (ids: Iterable<string | null>) => {
    const missing = new Set<string>();
    for (const id of ids) if (id && !names.has(id)) missing.add(id);
    if (missing.size > 0) {
      const rows = await db
        .selectFrom('organizations')
        .select(['id', 'name'])
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', sql<string>`any(cast(${[...missing]} as uuid[]))`)
        .execute();
      for (const id of missing) names.set(id, undefined);
      for (const row of rows) names.set(row.id, row.name);
    }
    return (person: Person) => (person.organizationId ? names.get(person.organizationId) : undefined);
  };
}

const joined = (items: readonly { value: string }[]) => {
  let text = '';
  for (let index = 0; index < items.length; index++)
    text += index ? `; ${items[index]!.value}` : items[index]!.value;
  return text;
};
const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
const primaryAddress = (person: Person) =>
  person.addresses.find((item) => item.primary) ?? person.addresses[0];

type Cell = (person: Person, organization: string | undefined) => string;

/** How one column reads a person, decided once per export rather than for every cell. */
function cellOf(column: Column): Cell {
  if (column.startsWith('customFields.')) {
    const key = column.slice('customFields.'.length);
    return (person) => {
      const value = Object.hasOwn(person.customFields, key) ? person.customFields[key] : undefined;
      if (value === undefined || value === null) return '';
      return Array.isArray(value) ? value.join('; ') : String(value);
    };
  }
  switch (column as PersonExportColumn) {
    case 'organization':
      return (_, organization) => organization ?? '';
    case 'emails':
      return (person) => joined(person.emails);
    case 'phones':
      return (person) => joined(person.phones);
    case 'websites':
      return (person) => joined(person.websites);
    case 'tags':
      return (person) => person.tags.join('; ');
    case 'address.street':
      return (person) => primaryAddress(person)?.street ?? '';
    case 'address.city':
      return (person) => primaryAddress(person)?.city ?? '';
    case 'address.region':
      return (person) => primaryAddress(person)?.region ?? '';
    case 'address.postalCode':
      return (person) => primaryAddress(person)?.postalCode ?? '';
    case 'address.country':
      return (person) => primaryAddress(person)?.country ?? '';
    default:
      return (person) => text((person as unknown as Record<string, unknown>)[column]);
  }
}

/** A CSV writer for these columns: one string per row, fields quoted only when they must be. */
function csvRowWriter(columns: Column[], delimiter: Delimiter) {
  const cells = columns.map(cellOf);
  // Inside a character class each of , ; | and tab stands for itself.
  const special = new RegExp(`["\r\n${delimiter}]`);
  return (person: Person, organization: string | undefined) => {
    let line = '';
    for (let index = 0; index < cells.length; index++) {
      const value = cells[index]!(person, organization);
      if (index > 0) line += delimiter;
      line += special.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
    }
    // A lone empty field is written "" so that the line is not blank (as csvLine does).
    return cells.length === 1 && line === '' ? '""\r\n' : `${line}\r\n`;
  };
}

/** Whether the display name was chosen rather than derived (what displayNameOf would give). */
function customDisplayName(person: Person): boolean {
  const derived =
    deriveDisplayName(person) ??
    person.emails.find((email) => email.primary)?.value ??
    person.phones.find((phone) => phone.primary)?.value ??
    null;
  return person.displayName !== derived;
}

/** The lines of a page joined with "\n" (Person JSON texts hold no line break); ids are not needed. */
const splitLines = (text: string): TextLine[] =>
  text === '' ? [] : text.split('\n').map((line) => ({ id: '', sort_value: '', line }));

/** A page of people as the formatters read them: the person and its organization's name. */
type Entry = { person: Person; organization: string | undefined };

/** The reference reading: rows decoded by the driver, `personOutput`, organization names by id. */
async function* entriesFromRows(db: Db, workspaceId: string, filters: ExportFilters, pageSize: number) {
  const organizations = organizationNames(db, workspaceId);
  for await (const people of peoplePages(db, workspaceId, filters, pageSize)) {
    const org = await organizations(people.map((person) => person.organizationId));
    yield people.map((person): Entry => ({ person, organization: org(person) }));
  }
}

/**
 * How an export reads its people: `text` (the default) has the database build each person's
 * JSON; `rows` is the former reading through the driver's row decoding and `personOutput`,
 * kept as the reference the tests compare the output with, byte for byte.
 */
export type ExportSource = 'text' | 'rows';

/**
 * How an export is written and read: the CSV delimiter, the reading (`text` unless a test
 * compares with `rows`), people per page, and pages read at once (default: two on PostgreSQL,
 * one on the embedded database, which has a single connection).
 */
export type ExportOptions = {
  delimiter?: Delimiter;
  source?: ExportSource;
  pageSize?: number;
  readers?: number;
};

/**
 * The people matching the list's filters, as text pieces of the chosen format, one keyset
 * page at a time (the caller streams them; the page after next is read only when the client
 * took the previous ones). JSON is one array of Person objects, as `GET /api/v1/people` returns them.
 */
export async function* exportPeople(
  ctx: RequestContext,
  auth: Auth,
  query: ExportPeopleQuery,
  columns: Column[] | null,
  options: ExportOptions = {},
): AsyncGenerator<string> {
  const db = ctx.deps.db;
  const { delimiter = ',', source = 'text', pageSize = exportPageSize } = options;
  // A page built by PostgreSQL takes one core; two readers keep both cores of a small server busy.
  const readers = options.readers ?? (ctx.deps.database?.kind === 'postgres' ? 2 : 1);
  const { format, columns: _columns, ...filters } = query;
  let csvColumns: Column[] = [];
  if (format === 'csv') {
    csvColumns = columns ?? [
      ...personExportColumns,
      ...(await customFieldKeys(db, auth.workspaceId)).map((key) => `customFields.${key}` as const),
    ];
  }
  const csvRow = csvRowWriter(csvColumns, delimiter);
  const organizations = organizationNames(db, auth.workspaceId);
  /** Some people as the reference reading gives them, with their organization's name. */
  const referenceEntries = async (ids: string[]): Promise<Map<string, Entry>> => {
    if (ids.length === 0) return new Map();
    const people = [...(await peopleByIds(db, auth.workspaceId, ids)).values()];
    const org = await organizations(people.map((person) => person.organizationId));
    return new Map(people.map((person) => [person.id, { person, organization: org(person) }]));
  };
  let first = true;
  /** JSON people written so far: the first is preceded by "\n", the others by ",\n" (a page may be empty). */
  let written = 0;
  if (source === 'text') {
    const lineSql = { csv: csvLineSql(csvColumns, delimiter), json: personJsonText, vcard: personVCardText }[
      format
    ];
    const separator = format === 'json' ? '\n' : '';
    const pages = textPages(db, auth.workspaceId, filters, lineSql, separator, { pageSize, readers });
    for await (const page of pages) {
      let text = start(format, csvColumns, delimiter, first);
      if (format === 'csv' && 'text' in page) text += page.text;
      else if (format === 'vcard' && 'text' in page) text += await finishCards(page.text, organizations);
      else {
        const lines = 'lines' in page ? page.lines : splitLines(page.text);
        // People the database left to JavaScript (rare forms): read as the reference reads them.
        const missing = await referenceEntries(lines.filter((row) => row.line === null).map((row) => row.id));
        if (format === 'csv') {
          for (const row of lines) text += row.line ?? formatEntry(format, missing.get(row.id)!, csvRow);
        } else if (format === 'json') {
          for (let index = 0; index < lines.length; index++) {
            const { id, line } = lines[index]!;
            const json = line === null ? JSON.stringify(missing.get(id)!.person) : compactJson(line);
            text += `${written++ === 0 ? '\n' : ',\n'}${json}`;
          }
        } else {
          // A card written by personToVCard holds no marked line: finishCards leaves it as it is.
          const cards = lines.map(({ id, line }) => line ?? formatEntry(format, missing.get(id)!, csvRow));
          text += await finishCards(cards.join(''), organizations);
        }
      }
      first = false;
      if (text) yield text;
    }
  } else {
    for await (const entries of entriesFromRows(db, auth.workspaceId, filters, pageSize)) {
      let text = start(format, csvColumns, delimiter, first);
      if (format === 'json') {
        for (let index = 0; index < entries.length; index++)
          text += `${written++ === 0 ? '\n' : ',\n'}${JSON.stringify(entries[index]!.person)}`;
      } else {
        for (const entry of entries) text += formatEntry(format, entry, csvRow);
      }
      first = false;
      if (text) yield text;
    }
  }
  if (format === 'json') yield '\n]\n';
}

/** The start of the file goes with the first page: nothing is sent before the filters were accepted. */
function start(
  format: ExportPeopleQuery['format'],
  csvColumns: Column[],
  delimiter: Delimiter,
  first: boolean,
) {
  if (first && format === 'csv') return `\ufeff${csvLine(csvColumns, delimiter)}`;
  if (first && format === 'json') return '[';
  return '';
}

function formatEntry(
  format: 'csv' | 'vcard',
  { person, organization }: Entry,
  csvRow: ReturnType<typeof csvRowWriter>,
): string {
  return format === 'csv'
    ? csvRow(person, organization)
    : personToVCard({ ...person, customDisplayName: customDisplayName(person) }, organization ?? null);
}

/** The vCard of a person read for this export alone (it is given its customDisplayName in place). */
function vCardOf(person: Person, organization: string | undefined): string {
  const exported = person as ExportPerson;
  exported.customDisplayName = customDisplayName(person);
  return personToVCard(exported, organization ?? null);
}

/**
 * The organization ids of Person JSON texts (personJsonText): its top-level keys are written
 * without spaces, and no string holds an unescaped quote, so this finds exactly them.
 */
const organizationIdsIn = (text: string) =>
  Array.from(text.matchAll(/,"organizationId":"([0-9a-f-]{36})"/g), (match) => match[1]!);

/**
 * Cards built by the database (personVCardText), finished: a line marked `~` is folded, a line
 * of Person JSON (`{`) is written as a card here. Neither mark can start a line of a card.
 */
async function finishCards(
  text: string,
  organizations: ReturnType<typeof organizationNames>,
): Promise<string> {
  const pieces: string[] = [];
  /** The pieces holding a person's JSON. */
  const people: number[] = [];
  let from = 0;
  const marked = (at: number) => {
    const end = text.indexOf('\r\n', at);
    pieces.push(text.slice(from, at));
    if (text[at] === '~') pieces.push(foldLine(text.slice(at + 1, end)));
    else {
      people.push(pieces.length);
      pieces.push(text.slice(at, end));
    }
    from = end + 2;
  };
  if (text.startsWith('{')) marked(0);
  for (const match of text.matchAll(/\n[~{]/g)) if (match.index + 1 >= from) marked(match.index + 1);
  pieces.push(text.slice(from));
  if (people.length === 0) return pieces.join('');
  const organization = await organizations(people.flatMap((index) => organizationIdsIn(pieces[index]!)));
  // One person at a time (parsed, written, dropped): a page of parsed people kept alive together
  // made most of the export's garbage collection when the cards were all written here.
  for (const index of people) {
    const person = JSON.parse(pieces[index]!) as Person;
    pieces[index] = vCardOf(person, organization(person));
  }
  return pieces.join('');
}
