import { type RawBuilder, sql } from 'kysely';
import type { PersonExportColumn } from '../../shared/exports.ts';
import type { Delimiter } from '../imports/csv.ts';
import { isoUtc, isoWritable } from './timestamps.ts';

/** An export column: one of the person columns or `customFields.<key>`. */
export type Column = PersonExportColumn | `customFields.${string}`;

/**
 * The CSV line of a person built by the database, byte for byte what `csvRowWriter` writes for
 * `personOutput` of the row: the same cells, quoting and CRLF. A cell the database cannot write
 * exactly as JavaScript would (a custom-field number that JavaScript writes in another form, an
 * object, a nested list) is NULL, which makes the whole line NULL (`||` propagates it): the
 * caller writes those lines in JavaScript instead.
 */
export function csvLineSql(columns: readonly Column[], delimiter: Delimiter): RawBuilder<string | null> {
  const special = `["\r\n${delimiter}]`;
  const mustQuote = `^(.*${special}.*)$`;
  const cells = columns.map((column) => {
    const cell = cellSql(column);
    if (neverQuoted.has(column)) return cell;
    // Quotes doubled, then the whole field quoted when it holds a quote, CR, LF or the delimiter.
    // Most cells are cheap to compute twice; a subquery (organization, custom field) only once.
    if (!computedOnce.has(column) && !column.startsWith('customFields.'))
      return sql`(case when ${cell} ~ ${special} then '"' || replace(${cell}, '"', '""') || '"' else ${cell} end)`;
    return sql`regexp_replace(replace(${cell}, '"', '""'), ${mustQuote}, ${'"\\1"'})`;
  });
  if (cells.length === 0) return sql<string>`${'\r\n'}`;
  const line = sql.join(cells, sql`|| ${delimiter} ||`);
  // A lone empty field is written "" so that the line is not blank (as csvLine does).
  if (cells.length === 1)
    return sql<string | null>`(case when ${line} = '' then '""' else ${line} end) || ${'\r\n'}`;
  return sql<string | null>`${line} || ${'\r\n'}`;
}

/** '' when null; NULL (the line written in JavaScript) for a year JavaScript writes otherwise. */
const iso = (column: string) =>
  sql<string | null>`(case when ${isoWritable(column)} then coalesce(${isoUtc(column)}, '') end)`;

/**
 * The values of a list column (`[{value}]`) joined with "; ", in the list's order: the usual
 * lists of up to two read directly, longer ones through their elements. (A value that is not a
 * string would read as NULL here, and the line be written in JavaScript.)
 */
const joinedValues = (column: string) => {
  const list = sql.ref(column);
  return sql<string | null>`(case jsonb_array_length(${list}) when 0 then ''
    when 1 then ${list}->0->>'value'
    when 2 then (${list}->0->>'value') || '; ' || (${list}->1->>'value')
    else (select string_agg(item->>'value', '; ' order by position)
      from jsonb_array_elements(${list}) with ordinality as items(item, position)) end)`;
};

/** The primary address, else the first one (a lone address is both). */
const primaryAddress = sql`(case jsonb_array_length(addresses) when 0 then null when 1 then addresses->0
  else coalesce(jsonb_path_query_first(addresses, '$[*] ? (@.primary == true)'), addresses->0) end)`;

/**
 * A JSON scalar as JavaScript's String() writes it, or NULL when the database would write it
 * otherwise. Numbers: float8 text is the shortest round-trip form, as in JavaScript, and both
 * are plain decimals from 1e-4 up to 1e15 (outside it the forms of the exponents differ, and
 * float8 may not hold the number at all: the range is tested in numeric).
 */
const scalarText = (value: RawBuilder<unknown>) => sql<string | null>`(case jsonb_typeof(${value})
    when 'string' then ${value} #>> '{}'
    when 'boolean' then ${value} #>> '{}'
    when 'null' then ''
    when 'number' then case when (${value})::text::numeric = 0
        or abs((${value})::text::numeric) >= 1e-4 and abs((${value})::text::numeric) < 1e15
      then ((${value})::text::float8)::text end
  end)`;

/** A custom field's cell: a list is joined with "; ", a missing value is empty. */
function customFieldCell(key: string): RawBuilder<string | null> {
  const value = sql`(custom_fields -> ${key})`;
  const element = sql`element`;
  return sql<string | null>`(case
    when ${value} is null then ''
    when jsonb_typeof(${value}) = 'array' and jsonb_array_length(${value}) = 0 then ''
    when jsonb_typeof(${value}) = 'array' then
      (select string_agg(${scalarText(element)}, '; ' order by position)
        from jsonb_array_elements(${value}) with ordinality as elements(element, position)
        having count(*) = count(${scalarText(element)}))
    else ${scalarText(value)}
  end)`;
}

function cellSql(column: Column): RawBuilder<string | null> {
  if (column.startsWith('customFields.')) return customFieldCell(column.slice('customFields.'.length));
  const address = (part: string) => sql<string>`coalesce(${primaryAddress} ->> ${part}, '')`;
  switch (column as PersonExportColumn) {
    case 'organization':
      return sql<string>`coalesce((select o.name from organizations o
        where o.id = people.organization_id and o.workspace_id = people.workspace_id), '')`;
    case 'emails':
      return joinedValues('emails');
    case 'phones':
      return joinedValues('phones');
    case 'websites':
      return joinedValues('websites');
    case 'tags':
      return sql<string>`array_to_string(tags, '; ')`;
    case 'address.street':
      return address('street');
    case 'address.city':
      return address('city');
    case 'address.region':
      return address('region');
    case 'address.postalCode':
      return address('postalCode');
    case 'address.country':
      return address('country');
    case 'birthday':
      return sql<string>`coalesce(to_char(birthday, 'YYYY-MM-DD'), '')`;
    case 'lastContactedAt':
      return iso('last_contacted_at');
    case 'nextFollowUpAt':
      return iso('next_follow_up_at');
    case 'createdAt':
      return iso('created_at');
    case 'updatedAt':
      return iso('updated_at');
    default:
      return sql<string>`coalesce(${sql.ref(columnNames[column as keyof typeof columnNames])}::text, '')`;
  }
}

/** Cells whose expression is a subquery: evaluated once, then quoted by a regular expression. */
const computedOnce = new Set<Column>(['organization']);

/** Cells that never hold a quote, CR, LF or any delimiter (ids, dates, the stage). */
const neverQuoted = new Set<Column>([
  'id',
  'stage',
  'organizationId',
  'ownerId',
  'birthday',
  'lastContactedAt',
  'nextFollowUpAt',
  'createdAt',
  'updatedAt',
]);

/** The person columns written as they are stored. */
const columnNames = {
  id: 'id',
  displayName: 'display_name',
  givenName: 'given_name',
  familyName: 'family_name',
  prefix: 'prefix',
  suffix: 'suffix',
  nickname: 'nickname',
  pronouns: 'pronouns',
  jobTitle: 'job_title',
  stage: 'stage',
  source: 'source',
  organizationId: 'organization_id',
  ownerId: 'owner_id',
  notes: 'notes',
} as const;
