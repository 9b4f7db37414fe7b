import { type RawBuilder, sql } from 'kysely';
import { isoUtc, isoWritable } from './timestamps.ts';

/** Characters JSON.stringify escapes in a string: control characters, the quote, the backslash. */
const mustEscape = '[\u0001-\u001f"\\\\]';

/** A text column as JSON.stringify writes it: quoted as it is when nothing needs escaping. */
const text = (column: string) => {
  const value = sql.ref(column);
  return sql<string>`(case when ${value} is null then 'null' when ${value} ~ ${mustEscape}
    then to_json(${value})::text else '"' || ${value} || '"' end)`;
};

/** A value that needs no escaping (a uuid, a date), quoted, or null. */
const plain = (value: RawBuilder<unknown>) => sql<string>`coalesce('"' || ${value} || '"', 'null')`;

/** A jsonb column's text (with the database's spaces and number forms: see compactJson). */
const jsonb = (column: string, empty: '[]' | '{}') => {
  const value = sql.ref(column);
  return sql<string>`(case when ${value} = ${empty}::jsonb then ${empty} else ${value}::text end)`;
};

/**
 * A person as JSON text with the keys of `personOutput` in its order, built by concatenation
 * (json_build_object looks up the output function of every argument on every row, ~14 µs a
 * row). The text holds no line break (every string is escaped), so that a page of people joins
 * with "\n"; the jsonb values keep the database's spaces and number forms, which compactJson
 * turns into what JSON.stringify writes. NULL when a timestamp is out of to_char's reach (see
 * isoWritable): that person is then read as the reference reads it.
 */
export const personJsonText = sql<string | null>`case when ${isoWritable('last_contacted_at')}
  and ${isoWritable('next_follow_up_at')} and ${isoWritable('created_at')} and ${isoWritable('updated_at')}
then '{"id":"' || id || '","givenName":' || ${text('given_name')} || ',"familyName":' || ${text('family_name')}
  || ',"prefix":' || ${text('prefix')} || ',"suffix":' || ${text('suffix')} || ',"nickname":' || ${text('nickname')}
  || ',"displayName":' || ${text('display_name')} || ',"pronouns":' || ${text('pronouns')}
  || ',"jobTitle":' || ${text('job_title')} || ',"stage":' || ${text('stage')} || ',"source":' || ${text('source')}
  || ',"ownerId":' || ${plain(sql.ref('owner_id'))} || ',"organizationId":' || ${plain(sql.ref('organization_id'))}
  || ',"birthday":' || ${plain(sql`to_char(birthday, 'YYYY-MM-DD')`)}
  || ',"emails":' || ${jsonb('emails', '[]')} || ',"phones":' || ${jsonb('phones', '[]')}
  || ',"addresses":' || ${jsonb('addresses', '[]')} || ',"websites":' || ${jsonb('websites', '[]')}
  || ',"social":' || ${jsonb('social', '[]')} || ',"importantDates":' || ${jsonb('important_dates', '[]')}
  || ',"tags":' || (case when cardinality(tags) = 0 then '[]' else array_to_json(tags)::text end)
  || ',"customFields":' || ${jsonb('custom_fields', '{}')} || ',"notes":' || ${text('notes')}
  || ',"lastContactedAt":' || ${plain(isoUtc('last_contacted_at'))}
  || ',"nextFollowUpAt":' || ${plain(isoUtc('next_follow_up_at'))}
  || ',"photoUrl":' || coalesce('"/api/v1/people/' || id || '/photo?v=' || photo_version || '"', 'null')
  || ',"version":' || version || ',"createdAt":' || ${plain(isoUtc('created_at'))}
  || ',"updatedAt":' || ${plain(isoUtc('updated_at'))} || '}'
end`;
