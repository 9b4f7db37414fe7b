import { type RawBuilder, sql } from 'kysely';
import type { Tx } from '../../../platform/db/database.ts';
import {
  type PersonalStrings,
  type SweepException,
  type SweepResult,
  sweepPersonalStrings,
} from './sweep.ts';

export const erased = '[erased]';

/** The person and every record merged into them (a merged record is the same human). */
async function erasedPeople(tx: Tx, workspaceId: string, personId: string | null): Promise<string[]> {
  if (!personId) return [];
  const result = await sql<{ id: string }>`
    with recursive merged(id) as (
      select ${personId}::uuid
      union
      select p.id from people p join merged m on p.merged_into = m.id where p.workspace_id = ${workspaceId}
    )
    select id from merged`.execute(tx);
  return result.rows.map((row) => row.id);
}

interface PersonRow {
  given_name: string | null;
  family_name: string | null;
  nickname: string | null;
  display_name: string;
  emails: { value: string }[];
  phones: { value: string; e164: string }[];
  addresses: { street: string | null }[];
  websites: { value: string }[];
  social: { handle: string }[];
}

/**
 * Everything that spells out who the person is, read BEFORE anything is scrubbed: names, every
 * email (also those they signed in with or wrote from), every phone as entered, in E.164 and
 * without the plus, street lines, websites and social handles.
 */
async function collectStrings(
  tx: Tx,
  workspaceId: string,
  ids: string[],
  itemIds: string[],
  hashedEmails: string[],
): Promise<PersonalStrings & { emails: string[] }> {
  if (ids.length === 0) {
    const emails = [...new Set(hashedEmails)];
    return { strong: emails, weak: [], emails };
  }
  const people = (await tx
    .selectFrom('people')
    .select([
      'given_name',
      'family_name',
      'nickname',
      'display_name',
      'emails',
      'phones',
      'addresses',
      'websites',
      'social',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute()) as unknown as PersonRow[];
  const reporters =
    itemIds.length === 0
      ? []
      : await tx
          .selectFrom('items')
          .select(['reporter_name', 'reporter_email'])
          .where('workspace_id', '=', workspaceId)
          .where('id', 'in', itemIds)
          .execute();
  const sessions = await tx
    .selectFrom('portal_sessions')
    .select('email')
    .where('workspace_id', '=', workspaceId)
    .where('person_id', 'in', ids)
    .execute();
  const emails = [
    ...people.flatMap((p) => p.emails.map((e) => e.value)),
    ...reporters.flatMap((r) => (r.reporter_email ? [r.reporter_email] : [])),
    ...sessions.map((s) => s.email),
    ...hashedEmails,
  ].map((email) => email.toLowerCase());
  const strong = [
    ...emails,
    ...people.flatMap((p) => [
      p.display_name,
      [p.given_name, p.family_name].filter(Boolean).join(' '),
      ...p.phones.flatMap((phone) => [phone.value, phone.e164, phone.e164.replace(/^\+/, '')]),
      ...p.addresses.flatMap((address) => (address.street ? address.street.split('\n') : [])),
      ...p.websites.map((website) => website.value),
      ...p.social.map((social) => social.handle),
    ]),
    ...reporters.flatMap((r) => (r.reporter_name ? [r.reporter_name] : [])),
  ];
  const weak = people.flatMap((p) =>
    [p.given_name, p.family_name, p.nickname].flatMap((part) => (part ? part.split(/\s+/) : [])),
  );
  const clean = (values: string[]) => [...new Set(values.map((v) => v.trim()).filter((v) => v.length >= 3))];
  return { strong: clean(strong), weak: clean(weak), emails: [...new Set(emails)] };
}

export interface ErasureOutcome {
  people: number;
  items: number;
  sweep: SweepResult;
}

/** A text[] literal built from parameters (works the same on PGlite and node-postgres). */
const textArray = (values: string[]) =>
  values.length === 0 ? sql`array[]::text[]` : sql`array[${sql.join(values)}]::text[]`;

/** Replaces a nullable text with '[erased]', keeping nulls null. */
const erasedIfSet = (column: string) =>
  sql`case when ${sql.ref(column)} is null then null else ${erased} end`;

/** Free-text keys of item event data ('status_changed' keeps its from/to statuses). */
const eventTextKeys = [
  'subject',
  'body',
  'summary',
  'resolution',
  'sentTo',
  'title',
  'reason',
  'note',
  'comment',
];

/**
 * Anonymises a person everywhere while keeping the rows that reports count: the people row
 * stays (id, stage, organization, dates) with every personal field cleared, their items,
 * interactions, votes, terms and contact log stay with their text erased, and what only
 * identified them (photo, sign-in links, portal sessions, raw inbound mail, attachments) is
 * deleted. A generic sweep over every text column of the workspace then replaces any
 * remaining occurrence of their strings. `keep` is the outbox row of the notice that tells
 * the customer it is done: its address is the one deliberate exception.
 */
export async function anonymisePerson(
  tx: Tx,
  workspaceId: string,
  personId: string | null,
  emailHash: string,
  keep: SweepException | null,
): Promise<ErasureOutcome> {
  const ids = await erasedPeople(tx, workspaceId, personId);
  const itemIds =
    ids.length === 0
      ? []
      : (
          await tx
            .selectFrom('items')
            .select('id')
            .where('workspace_id', '=', workspaceId)
            .where('person_id', 'in', ids)
            .execute()
        ).map((row) => row.id);
  const hashed = await addressesByHash(tx, workspaceId, emailHash);
  const strings = await collectStrings(tx, workspaceId, ids, itemIds, hashed);
  const { emails } = strings;
  const noItems = itemIds.length === 0;
  const itemList = noItems ? sql`(null::uuid)` : sql`(${sql.join(itemIds)})`;
  const idList = ids.length === 0 ? sql`(null::uuid)` : sql`(${sql.join(ids)})`;
  const emailArray = textArray(emails);
  await sql`select set_config('rapport.rewrite_events', 'on', true)`.execute(tx);

  // The people rows: kept for counts (stage, organization, dates), emptied of everything personal.
  await sql`
    update people set
      given_name = null, family_name = null, prefix = null, suffix = null, nickname = null,
      display_name = 'Erased person #' || right(replace(id::text, '-', ''), 8),
      custom_display_name = true,
      sort_name = 'erased person #' || right(replace(id::text, '-', ''), 8),
      search_name = 'erased person', search_text = 'erased person',
      pronouns = null, job_title = null, source = null, birthday = null, notes = null,
      emails = '[]', phones = '[]', addresses = '[]', websites = '[]', social = '[]', important_dates = '[]',
      tags = '{}', custom_fields = '{}', email_keys = '{}', phone_keys = '{}', photo_version = null,
      version = version + 1, updated_at = now()
    where workspace_id = ${workspaceId} and id in ${idList}`.execute(tx);
  await sql`delete from person_notes_history where workspace_id = ${workspaceId} and person_id in ${idList}`.execute(
    tx,
  );
  await sql`delete from person_photos where workspace_id = ${workspaceId} and person_id in ${idList}`.execute(
    tx,
  );
  await sql`delete from duplicate_candidates where workspace_id = ${workspaceId}
    and (person_a in ${idList} or person_b in ${idList})`.execute(tx);

  // Interactions stay (and are counted) with their text erased, whoever else took part.
  await sql`
    update interactions set summary = ${erased}, outcome = ${erasedIfSet('outcome')}, version = version + 1
    where workspace_id = ${workspaceId}
      and id in (select interaction_id from interaction_people where person_id in ${idList})`.execute(tx);
  await sql`
    update relationships set note = null
    where workspace_id = ${workspaceId}
      and ((from_type = 'person' and from_id in ${idList}) or (to_type = 'person' and to_id in ${idList}))`.execute(
    tx,
  );
  // Merge records keep who was merged into whom, not the snapshots of their rows.
  await sql`
    update merges set
      survivor_before = case when survivor_id in ${idList} then '{"erased": true}'::jsonb else survivor_before end,
      survivor_name = case when survivor_id in ${idList} then 'Erased person' else survivor_name end,
      merged_before = case when merged_id in ${idList} then '{"erased": true}'::jsonb else merged_before end,
      merged_name = case when merged_id in ${idList} then 'Erased person' else merged_name end,
      fields = '{}'
    where workspace_id = ${workspaceId} and (survivor_id in ${idList} or merged_id in ${idList})`.execute(tx);

  // Their items and conversations: kept for counts, text erased, files and raw mail deleted.
  if (!noItems) {
    await sql`
      update items set subject = 'Erased', body = '', reporter_name = null, reporter_email = null,
        resolution = ${erasedIfSet('resolution')}, close_reason = ${erasedIfSet('close_reason')},
        rating_comment = null, version = version + 1
      where workspace_id = ${workspaceId} and id in ${itemList}`.execute(tx);
    await sql`
      update item_observations set value = ${JSON.stringify(erased)}::jsonb, value_key = ${erased}
      where workspace_id = ${workspaceId} and item_id in ${itemList} and value_type = 'text'`.execute(tx);
    await sql`
      update notifications set title = ${erased}, body = ''
      where workspace_id = ${workspaceId} and item_id in ${itemList}`.execute(tx);
    await scrubItemEvents(tx, workspaceId, itemIds);
  }
  await sql`
    update item_messages set body_text = ${erased}, body_html = ${erasedIfSet('body_html')},
      subject = ${erasedIfSet('subject')}, from_address = ${erasedIfSet('from_address')},
      to_address = ${erasedIfSet('to_address')}
    where workspace_id = ${workspaceId} and (item_id in ${itemList} or person_id in ${idList})`.execute(tx);
  await sql`
    delete from item_attachments where workspace_id = ${workspaceId}
      and (item_id in ${itemList}
        or message_id in (select id from item_messages where workspace_id = ${workspaceId} and person_id in ${idList}))`.execute(
    tx,
  );
  await deleteInboundMail(tx, workspaceId, itemList, emails);

  // Mail sent to them: the row stays (it was sent), the address and the text do not.
  await sql`
    update outbox set to_address = 'erased', subject = ${erased}, text_body = ${erased},
      html_body = ${erasedIfSet('html_body')}
    where workspace_id = ${workspaceId} and lower(to_address) = any(${emailArray})
      ${keep ? sql`and id <> ${keep.id}` : sql``}`.execute(tx);
  await sql`
    update audit_log set before = null, after = null
    where workspace_id = ${workspaceId}
      and ((entity = 'person' and entity_id in (select id::text from people where id in ${idList}))
        or (entity = 'item' and entity_id in (select id::text from items where id in ${itemList})))`.execute(
    tx,
  );

  // Portal: what they wrote is erased; votes, terms versions and the contact log stay (no text).
  await sql`update suggestion_comments set body = ${erased}
    where workspace_id = ${workspaceId} and person_id in ${idList}`.execute(tx);
  await sql`update kb_feedback set person_id = null, session_id = null
    where workspace_id = ${workspaceId} and person_id in ${idList}`.execute(tx);
  await sql`update intents set what = ${erased}, updated_at = now()
    where workspace_id = ${workspaceId} and person_id in ${idList}`.execute(tx);
  await sql`update intent_responses set body = ${erased}
    where workspace_id = ${workspaceId}
      and (person_id in ${idList} or intent_id in (select id from intents where person_id in ${idList}))`.execute(
    tx,
  );
  await sql`delete from portal_sessions where workspace_id = ${workspaceId}
    and (person_id in ${idList} or email = any(${emailArray}))`.execute(tx);
  await sql`delete from portal_magic_links where workspace_id = ${workspaceId}
    and email = any(${emailArray})`.execute(tx);
  await deleteImportChunks(tx, workspaceId, [...emails, ...strings.strong]);

  const sweep = await sweepPersonalStrings(tx, workspaceId, strings, keep);
  return { people: ids.length, items: itemIds.length, sweep };
}

/**
 * The addresses whose sha256 is the request's email hash, as the sign-in links, portal sessions
 * and outbox know them: the address the customer asked from, even when it is no longer on their
 * record (or the record is gone).
 */
export async function addressesByHash(tx: Tx, workspaceId: string, emailHash: string): Promise<string[]> {
  const hashOf = (column: string) =>
    sql`encode(sha256(convert_to(lower(${sql.ref(column)}), 'UTF8')), 'hex')`;
  const result = await sql<{ email: string }>`
    select lower(email) as email from portal_magic_links
      where workspace_id = ${workspaceId} and ${hashOf('email')} = ${emailHash}
    union
    select lower(email) from portal_sessions where workspace_id = ${workspaceId} and ${hashOf('email')} = ${emailHash}
    union
    select lower(to_address) from outbox
      where workspace_id = ${workspaceId} and ${hashOf('to_address')} = ${emailHash}`.execute(tx);
  return result.rows.map((row) => row.email);
}

/** Item events are append-only; this transaction rewrites the free text of their items' events. */
async function scrubItemEvents(tx: Tx, workspaceId: string, itemIds: string[]): Promise<void> {
  const events = await tx
    .selectFrom('item_events')
    .select(['id', 'data'])
    .where('workspace_id', '=', workspaceId)
    .where('item_id', 'in', itemIds)
    .execute();
  for (const event of events) {
    const data = (event.data ?? {}) as Record<string, unknown>;
    const scrubbed = { ...data };
    for (const key of eventTextKeys) {
      if (key in scrubbed && scrubbed[key] !== null) scrubbed[key] = erased;
    }
    // 'acknowledged' and 'informed' name the address they were sent to.
    if (typeof scrubbed.to === 'string' && scrubbed.to.includes('@')) scrubbed.to = erased;
    if (JSON.stringify(scrubbed) !== JSON.stringify(data)) {
      await tx
        .updateTable('item_events')
        .set({ data: JSON.stringify(scrubbed) })
        .where('id', '=', event.id)
        .execute();
    }
  }
}

/** Raw inbound mail from them or about their items: deleted (the parsed messages are kept, erased). */
async function deleteInboundMail(
  tx: Tx,
  workspaceId: string,
  itemList: RawBuilder<unknown>,
  emails: string[],
) {
  const rawMatch =
    emails.length === 0
      ? sql`false`
      : sql.join(
          emails.map((email) => sql`position(convert_to(${email}, 'UTF8') in raw) > 0`),
          sql` or `,
        );
  await sql`
    delete from inbound_mail where workspace_id = ${workspaceId}
      and (item_id in ${itemList} or lower(mail_from) = any(${textArray(emails)}) or ${rawMatch})`.execute(
    tx,
  );
}

/**
 * Uploaded import files are deleted when their import ends; a finished import's chunk that
 * still holds their data is deleted too (the import's counts and errors stay).
 */
async function deleteImportChunks(tx: Tx, workspaceId: string, values: string[]): Promise<void> {
  const probes = [...new Set(values)].filter((value) => value.length >= 5);
  if (probes.length === 0) return;
  const matches = sql.join(
    probes.map((value) => sql`position(convert_to(${value}, 'UTF8') in f.data) > 0`),
    sql` or `,
  );
  await sql`
    delete from import_files f using imports i
    where f.import_id = i.id and f.workspace_id = ${workspaceId} and i.status in ('done', 'failed')
      and (${matches})`.execute(tx);
}
