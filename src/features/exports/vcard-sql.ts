import { type RawBuilder, sql } from 'kysely';
import { personJsonText } from './person-json-sql.ts';
import { isoUtc, isoWritable } from './timestamps.ts';

/** Characters escapeText escapes (the backslash, comma, semicolon, line breaks). */
const mustEscape = '[\\\\,;\r\n]';

/**
 * escapeText: `\`, `,` and `;` get a backslash, and each line break (CRLF, LF or CR) becomes `\n`.
 * Replacing CRLF before CR and LF treats line breaks as the regular expression does.
 */
const escaped = (value: RawBuilder<unknown>) =>
  sql<string>`replace(replace(replace(replace(replace(replace(${value}, '\\', '\\\\'), ',', '\\,'), ';', '\\;'),
    ${'\r\n'}, '\\n'), ${'\r'}, '\\n'), ${'\n'}, '\\n')`;

/*
 * Widths are counted with octet_length: UTF-8 octets, as vCard folds, on a UTF-8 database (the
 * only encoding that stores every name Rapport accepts; SQL_ASCII stores the same octets).
 */

/**
 * A content line: the name (with its parameters), the value escaped, CRLF. The value is `parts`
 * joined with `;` (each part escaped, not the separators: N and ADR), after `leading`. Marked `~`
 * (to be folded in JavaScript) when a part needs escaping or the line may pass 75 octets (the
 * name counted at `prefixMax`). Parts are columns or cheap expressions (each is written more than
 * once); a NULL part makes the line NULL (the person is written in JavaScript).
 */
function contentLine(
  prefix: RawBuilder<string> | string,
  parts: RawBuilder<unknown>[],
  { prefixMax, leading = '' }: { prefixMax?: number; leading?: string } = {},
) {
  const name = typeof prefix === 'string' ? sql<string>`${prefix}` : prefix;
  const room = 75 - (prefixMax ?? (prefix as string).length);
  const joined = (values: RawBuilder<unknown>[]) => {
    const value = sql.join(values, sql` || ';' || `);
    return leading ? sql`${leading} || ${value}` : value;
  };
  const anyEscaped = sql.join(
    parts.map((part) => sql`${part} ~ ${mustEscape}`),
    sql` or `,
  );
  const value = joined(parts);
  return sql<string>`(case when ${anyEscaped} then '~' || ${name} || ${joined(parts.map(escaped))}
    when octet_length(${value}) <= ${room} then ${name} || ${value}
    else '~' || ${name} || ${value} end || ${'\r\n'})`;
}

/** A line of one value. */
const line = (prefix: RawBuilder<string> | string, value: RawBuilder<unknown>, prefixMax?: number) =>
  contentLine(prefix, [value], prefixMax === undefined ? {} : { prefixMax });

/** A line only when the text is not empty (JavaScript skips empty and null values alike). */
const optional = (prefix: string, column: string) => {
  const value = sql.ref(column);
  return sql<string>`(case when ${value} <> '' then ${line(prefix, value)} else '' end)`;
};

/** A line when the value is not NULL, always marked: the value (a subquery) is written only once. */
const marked = (prefix: string, value: RawBuilder<unknown>) =>
  sql<string>`coalesce('~' || ${prefix} || ${escaped(value)} || ${'\r\n'}, '')`;

/** The labels written as a TYPE (JavaScript writes any other with a group: left to it). */
const labelTypes = { work: 'work', home: 'home', other: 'other' };
const phoneTypes = { ...labelTypes, mobile: 'cell', fax: 'fax', pager: 'pager' };

/** `;TYPE=x` for a standard label, '' for none, NULL (written in JavaScript) for any other. */
function typeParam(item: RawBuilder<unknown>, types: Record<string, string>) {
  const cases = Object.entries(types).map(([label, type]) => sql`when ${label} then ${`;TYPE=${type}`}`);
  return sql<string | null>`(case jsonb_typeof(${item}->'label') when 'null' then ''
    when 'string' then (case ${item}->>'label' ${sql.join(cases, sql` `)} end) end)`;
}

/** `;PREF=1` for a primary item, '' for another; NULL (written in JavaScript) unless `primary` is a boolean. */
const prefParam = (item: RawBuilder<unknown>) =>
  sql<
    string | null
  >`(case ${item}->'primary' when 'true'::jsonb then ';PREF=1' when 'false'::jsonb then '' end)`;

/** The line of one list item (`[{value, label, primary}]`); NULL when its value is not a string. */
function itemLine(name: string, item: RawBuilder<unknown>, types: Record<string, string>, extra = '') {
  const prefix = sql<string>`${name} || ${typeParam(item, types)} || ${extra}
    || ${prefParam(item)} || ':'`;
  const value = sql`(case when jsonb_typeof(${item}->'value') = 'string' then ${item}->>'value' end)`;
  return line(prefix, value, name.length + extra.length + ';TYPE=other;PREF=1:'.length);
}

/** The lines of a list column, in its order: up to two read directly, longer lists through their elements. */
function listLines(column: string, lineOf: (item: RawBuilder<unknown>) => RawBuilder<string>) {
  const list = sql.ref(column);
  const element = sql`element`;
  return sql<string | null>`(case jsonb_array_length(${list}) when 0 then ''
    when 1 then ${lineOf(sql`(${list}->0)`)}
    when 2 then ${lineOf(sql`(${list}->0)`)} || ${lineOf(sql`(${list}->1)`)}
    else (select string_agg(${lineOf(element)}, '' order by position)
      from jsonb_array_elements(${list}) with ordinality as elements(element, position)
      having count(*) = count(${lineOf(element)})) end)`;
}

/** An address: ;;street;city;region;postalCode;country, each part escaped ('' when missing). */
function addressLine(item: RawBuilder<unknown>) {
  // A part that is neither a string nor missing is NULL: JavaScript writes that person.
  const parts = ['street', 'city', 'region', 'postalCode', 'country'].map(
    (key) => sql`(case when coalesce(jsonb_typeof(${item}->${key}), 'null') in ('string', 'null')
      then coalesce(${item}->>${key}, '') end)`,
  );
  const prefix = sql<string>`'ADR' || ${typeParam(item, labelTypes)} || ${prefParam(item)} || ':'`;
  return contentLine(prefix, parts, { prefixMax: 'ADR;TYPE=other;PREF=1:'.length, leading: ';;' });
}

/** N: family;given;;prefix;suffix, each part escaped. */
const nameLine = () =>
  contentLine(
    'N:',
    ['family_name', 'given_name', null, 'prefix', 'suffix'].map((column) =>
      column === null ? sql`''` : sql`coalesce(${sql.ref(column)}, '')`,
    ),
  );

/** A timestamp as the card's REV writes it: the ISO form without `-`, `:` and fractions. */
const compactUtc = (column: string) =>
  sql<string | null>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYYMMDD"T"HH24MISS"Z"')`;

function cardSql() {
  const organizationName = sql`(select o.name from organizations o
    where o.id = people.organization_id and o.workspace_id = people.workspace_id)`;
  // A NULL tag is an empty field, as JavaScript's join writes it. No tag may need escaping:
  // CATEGORIES joins them as they are.
  const tagsText = sql`array_to_string(tags, ' ', '')`;
  return sql<string | null>`case when not custom_display_name and display_name <> '?'
  and important_dates = '[]'::jsonb and social = '[]'::jsonb and custom_fields = '{}'::jsonb
  and ${isoWritable('last_contacted_at')} and ${isoWritable('next_follow_up_at')} and ${isoWritable('updated_at')}
  and not (${tagsText} ~ ${mustEscape})
then 'BEGIN:VCARD' || ${'\r\n'} || 'VERSION:4.0' || ${'\r\n'} || 'UID:urn:uuid:' || id || ${'\r\n'}
  || ${line('FN:', sql.ref('display_name'))} || ${nameLine()}
  || 'X-RAPPORT-CUSTOM-DISPLAY-NAME:FALSE' || ${'\r\n'}
  || ${optional('NICKNAME:', 'nickname')} || ${optional('PRONOUNS:', 'pronouns')}
  || ${listLines('emails', (item) => itemLine('EMAIL', item, labelTypes))}
  || ${listLines('phones', (item) => itemLine('TEL', item, phoneTypes, ';VALUE=text'))}
  || ${listLines('addresses', addressLine)}
  || ${listLines('websites', (item) => itemLine('URL', item, labelTypes))}
  || (case when organization_id is null then '' else
      ${marked('ORG:', sql`nullif(${organizationName}, '')`)}
      || 'X-RAPPORT-ORGANIZATION-ID:' || organization_id || ${'\r\n'} end)
  || ${optional('TITLE:', 'job_title')}
  || coalesce('BDAY:' || to_char(birthday, 'YYYYMMDD') || ${'\r\n'}, '')
  || (case when cardinality(tags) = 0 then '' when octet_length(${tagsText}) <= 64
      then 'CATEGORIES:' || array_to_string(tags, ',', '') || ${'\r\n'}
    else '~CATEGORIES:' || array_to_string(tags, ',', '') || ${'\r\n'} end)
  || (case when notes is null then '' else ${line('NOTE:', sql.ref('notes'))} end)
  || 'X-RAPPORT-STAGE:' || stage || ${'\r\n'}
  || ${optional('X-RAPPORT-SOURCE:', 'source')}
  || coalesce('X-RAPPORT-OWNER-ID:' || owner_id || ${'\r\n'}, '')
  || coalesce('X-RAPPORT-LAST-CONTACTED:' || ${isoUtc('last_contacted_at')} || ${'\r\n'}, '')
  || coalesce('X-RAPPORT-NEXT-FOLLOW-UP:' || ${isoUtc('next_follow_up_at')} || ${'\r\n'}, '')
  || 'REV:' || ${compactUtc('updated_at')} || ${'\r\n'} || 'END:VCARD' || ${'\r\n'}
end`;
}

/**
 * The vCard of a person built by the database, as `personToVCard` writes it, for the usual
 * person. The database does not fold lines: a line that may pass 75 octets starts with `~`, and
 * `finishCards` folds it. A person written otherwise in JavaScript (a display name that may be
 * chosen, important dates, social profiles, custom fields, a label other than work, home or
 * other, a value that is not a string) comes as its Person JSON on a line of its own (it starts
 * with `{`, which no vCard line does), and `finishCards` writes that card in JavaScript. NULL
 * when even the Person JSON is (see personJsonText).
 */
export const personVCardText = sql<string | null>`coalesce(${cardSql()}, ${personJsonText} || ${'\r\n'})`;
