import type { Queryable } from '../../platform/db/database.ts';
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
import { listPeoplePage } from '../people/service.ts';
import { personToVCard } from './vcard.ts';

/** Rows read per query: keyset pages of the list itself, so every list filter applies. */
export const exportPageSize = 5000;

type Column = PersonExportColumn | `customFields.${string}`;

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

async function organizationNames(db: Queryable, workspaceId: string, people: Person[]) {
  const ids = [...new Set(people.map((person) => person.organizationId).filter((id): id is string => !!id))];
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

const joined = (items: { value: string }[]) => items.map((item) => item.value).join('; ');

function cell(person: Person, column: Column, organization: string | undefined): string {
  if (column.startsWith('customFields.')) {
    const value = person.customFields[column.slice('customFields.'.length)];
    if (value === undefined || value === null) return '';
    return Array.isArray(value) ? value.join('; ') : String(value);
  }
  const address = person.addresses.find((item) => item.primary) ?? person.addresses[0];
  switch (column as PersonExportColumn) {
    case 'organization':
      return organization ?? '';
    case 'emails':
      return joined(person.emails);
    case 'phones':
      return joined(person.phones);
    case 'websites':
      return joined(person.websites);
    case 'tags':
      return person.tags.join('; ');
    case 'address.street':
      return address?.street ?? '';
    case 'address.city':
      return address?.city ?? '';
    case 'address.region':
      return address?.region ?? '';
    case 'address.postalCode':
      return address?.postalCode ?? '';
    case 'address.country':
      return address?.country ?? '';
    default: {
      const value = (person as unknown as Record<string, unknown>)[column];
      return value === null || value === undefined ? '' : String(value);
    }
  }
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

/**
 * The people matching the list's filters, as text pieces of the chosen format, one keyset
 * page at a time (the caller streams them; the next page is read when the client took the last).
 * JSON is one array of Person objects, as `GET /api/v1/people` returns them.
 */
export async function* exportPeople(
  ctx: RequestContext,
  auth: Auth,
  query: ExportPeopleQuery,
  columns: Column[] | null,
  delimiter: Delimiter = ',',
): AsyncGenerator<string> {
  const db = ctx.deps.db;
  const { format, columns: _columns, ...filters } = query;
  let csvColumns: Column[] = [];
  if (format === 'csv') {
    csvColumns = columns ?? [
      ...personExportColumns,
      ...(await customFieldKeys(db, auth.workspaceId)).map((key) => `customFields.${key}` as const),
    ];
  }
  let after: string | undefined;
  let first = true;
  do {
    const page = await listPeoplePage(ctx, auth, {
      ...filters,
      limit: exportPageSize,
      ...(after ? { after } : {}),
    });
    after = page.next ?? undefined;
    // The start of the file goes with the first page: nothing is sent before the filters were accepted.
    let text = '';
    if (first && format === 'csv') text = `\ufeff${csvLine(csvColumns, delimiter)}`;
    if (first && format === 'json') text = '[';
    if (format === 'json') {
      if (page.data.length > 0)
        text += `${first ? '\n' : ',\n'}${page.data.map((p) => JSON.stringify(p)).join(',\n')}`;
    } else {
      const names = await organizationNames(db, auth.workspaceId, page.data);
      const org = (person: Person) => (person.organizationId ? names.get(person.organizationId) : undefined);
      for (const person of page.data) {
        text +=
          format === 'csv'
            ? csvLine(
                csvColumns.map((column) => cell(person, column, org(person))),
                delimiter,
              )
            : personToVCard({ ...person, customDisplayName: customDisplayName(person) }, org(person) ?? null);
      }
    }
    first = false;
    if (text) yield text;
  } while (after);
  if (format === 'json') yield '\n]\n';
}
