import { type Insertable, sql, type Updateable } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { contactTypes, type Interaction, type InteractionType } from '../../shared/interactions.ts';
import { microsText, type TimeCursor } from './cursor.ts';
import type { InteractionRow, InteractionsTable } from './schema.ts';

type Row = InteractionRow & { cursor_at: string | null };
export type InteractionRowWithCursor = Row;

export function findInteraction(db: Queryable, workspaceId: string, id: string, lock = false) {
  let query = db
    .selectFrom('interactions')
    .selectAll()
    .select(microsText('occurred_at').as('cursor_at'))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export function insertInteraction(db: Queryable, values: Insertable<InteractionsTable>) {
  return db.insertInto('interactions').values(values).returning('id').executeTakeFirstOrThrow();
}

export function updateInteractionRow(
  db: Queryable,
  workspaceId: string,
  id: string,
  values: Omit<Updateable<InteractionsTable>, 'id' | 'workspace_id' | 'version'>,
) {
  return db
    .updateTable('interactions')
    .set({ ...values, version: sql<number>`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Replaces the people taking part (keeping their copy of occurred_at in step). */
export async function setPeople(
  db: Queryable,
  workspaceId: string,
  interactionId: string,
  occurredAt: Date | string,
  personIds: readonly string[],
) {
  await db.deleteFrom('interaction_people').where('interaction_id', '=', interactionId).execute();
  if (personIds.length === 0) return;
  await db
    .insertInto('interaction_people')
    .values(
      personIds.map((personId) => ({
        workspace_id: workspaceId,
        interaction_id: interactionId,
        person_id: personId,
        occurred_at: occurredAt,
      })),
    )
    .execute();
}

export async function setStaff(
  db: Queryable,
  workspaceId: string,
  interactionId: string,
  userIds: readonly string[],
) {
  await db.deleteFrom('interaction_staff').where('interaction_id', '=', interactionId).execute();
  if (userIds.length === 0) return;
  await db
    .insertInto('interaction_staff')
    .values(
      userIds.map((userId) => ({
        workspace_id: workspaceId,
        interaction_id: interactionId,
        user_id: userId,
      })),
    )
    .execute();
}

export async function participantIds(db: Queryable, interactionId: string) {
  const [people, staff] = await Promise.all([
    db
      .selectFrom('interaction_people')
      .select('person_id')
      .where('interaction_id', '=', interactionId)
      .execute(),
    db
      .selectFrom('interaction_staff')
      .select('user_id')
      .where('interaction_id', '=', interactionId)
      .execute(),
  ]);
  return { personIds: people.map((row) => row.person_id), staffIds: staff.map((row) => row.user_id) };
}

/** Which of `ids` are live rows of the workspace (people, organizations or staff users). */
export async function existingIds(
  db: Queryable,
  table: 'people' | 'organizations' | 'users',
  workspaceId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  let query = db
    .selectFrom(table)
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...ids]);
  if (table !== 'users') query = query.where(sql.ref(`${table}.deleted_at`), 'is', null);
  const rows = await query.execute();
  return new Set(rows.map((row) => row.id));
}

/** Participants and organization names of a page of interactions: two queries, whatever the page size. */
export async function toInteractions(db: Queryable, workspaceId: string, rows: InteractionRow[]) {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const orgIds = [...new Set(rows.flatMap((row) => (row.organization_id ? [row.organization_id] : [])))];
  const [people, staff, orgs] = await Promise.all([
    db
      .selectFrom('interaction_people as ip')
      .innerJoin('people as p', 'p.id', 'ip.person_id')
      .select(['ip.interaction_id', 'p.id', 'p.display_name'])
      .where('ip.interaction_id', 'in', ids)
      .where('p.workspace_id', '=', workspaceId)
      .where('p.deleted_at', 'is', null)
      .orderBy('p.sort_name')
      .execute(),
    db
      .selectFrom('interaction_staff as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.interaction_id', 'u.id', 'u.name'])
      .where('s.interaction_id', 'in', ids)
      .where('u.workspace_id', '=', workspaceId)
      .orderBy('u.name')
      .execute(),
    orgIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('organizations')
          .select(['id', 'name'])
          .where('workspace_id', '=', workspaceId)
          .where('id', 'in', orgIds)
          .where('deleted_at', 'is', null)
          .execute(),
  ]);
  const orgById = new Map(orgs.map((org) => [org.id, org]));
  return rows.map(
    (row): Interaction => ({
      id: row.id,
      type: row.type,
      channel: row.channel,
      direction: row.direction,
      occurredAt: row.occurred_at.toISOString(),
      durationMinutes: row.duration_minutes,
      summary: row.summary,
      outcome: row.outcome,
      organization: (row.organization_id && orgById.get(row.organization_id)) || null,
      people: people
        .filter((p) => p.interaction_id === row.id)
        .map((p) => ({ id: p.id, displayName: p.display_name })),
      staff: staff.filter((s) => s.interaction_id === row.id).map((s) => ({ id: s.id, name: s.name })),
      createdBy: row.created_by,
      version: row.version,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    }),
  );
}

interface PageOptions {
  types?: readonly InteractionType[] | undefined;
  cursor: TimeCursor | null;
  limit: number;
}

const before = (at: string | null, id: string, timeColumn: string, idColumn: string) =>
  sql<boolean>`(${sql.ref(timeColumn)}, ${sql.ref(idColumn)}) < (cast(${at} as timestamptz), cast(${id} as uuid))`;

/** A person's timeline, newest first: one range scan of interaction_people_timeline_idx. */
export function personTimeline(db: Queryable, workspaceId: string, personId: string, options: PageOptions) {
  let query = db
    .selectFrom('interaction_people as ip')
    .innerJoin('interactions as i', 'i.id', 'ip.interaction_id')
    .selectAll('i')
    .select(microsText('ip.occurred_at').as('cursor_at'))
    .where('ip.workspace_id', '=', workspaceId)
    .where('ip.person_id', '=', personId)
    .where('i.deleted_at', 'is', null);
  if (options.types?.length) query = query.where('i.type', 'in', [...options.types]);
  if (options.cursor)
    query = query.where(before(options.cursor.at, options.cursor.id, 'ip.occurred_at', 'ip.interaction_id'));
  return query
    .orderBy('ip.occurred_at', 'desc')
    .orderBy('ip.interaction_id', 'desc')
    .limit(options.limit + 1)
    .execute() as Promise<Row[]>;
}

/**
 * An organization's timeline: interactions linked to it, merged with those of its people
 * (people whose organization it is), each once, newest first. Each source is an index scan
 * limited to one page; the union removes the interactions found by both.
 */
export async function organizationTimeline(
  db: Queryable,
  workspaceId: string,
  organizationId: string,
  options: PageOptions,
) {
  const types = options.types?.length ? options.types : null;
  const typeFilter = types ? sql`and i.type in (${sql.join(types)})` : sql``;
  const cursor = options.cursor;
  const direct = cursor
    ? sql`and (i.occurred_at, i.id) < (cast(${cursor.at} as timestamptz), cast(${cursor.id} as uuid))`
    : sql``;
  const viaPeople = cursor
    ? sql`and (ip.occurred_at, ip.interaction_id) < (cast(${cursor.at} as timestamptz), cast(${cursor.id} as uuid))`
    : sql``;
  const limit = options.limit + 1;
  const result = await sql<Row>`
    with page as (
      (select i.id, i.occurred_at from interactions i
        where i.workspace_id = ${workspaceId} and i.organization_id = ${organizationId}
          and i.deleted_at is null ${typeFilter} ${direct}
        order by i.occurred_at desc, i.id desc limit ${limit})
      union -- distinct: one interaction with two of the organization's people counts once
      (select distinct ip.interaction_id, ip.occurred_at from people p
        join interaction_people ip on ip.workspace_id = p.workspace_id and ip.person_id = p.id
        join interactions i on i.id = ip.interaction_id
        where p.workspace_id = ${workspaceId} and p.organization_id = ${organizationId}
          and p.deleted_at is null and i.deleted_at is null ${typeFilter} ${viaPeople}
        order by ip.occurred_at desc, ip.interaction_id desc limit ${limit})
    )
    select i.*, ${microsText('i.occurred_at')} as cursor_at
    from page join interactions i on i.id = page.id
    order by i.occurred_at desc, i.id desc
    limit ${limit}`.execute(db);
  return result.rows;
}

/** Every interaction of the workspace, newest first. */
export function workspaceInteractions(db: Queryable, workspaceId: string, options: PageOptions) {
  let query = db
    .selectFrom('interactions')
    .selectAll()
    .select(microsText('occurred_at').as('cursor_at'))
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null);
  if (options.types?.length) query = query.where('type', 'in', [...options.types]);
  if (options.cursor) query = query.where(before(options.cursor.at, options.cursor.id, 'occurred_at', 'id'));
  return query
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit + 1)
    .execute();
}

/** A new contact moves "last contacted" forward, never back. */
export async function touchLastContacted(
  db: Queryable,
  workspaceId: string,
  personIds: readonly string[],
  occurredAt: Date,
) {
  if (personIds.length === 0) return;
  await db
    .updateTable('people')
    .set({ last_contacted_at: sql`greatest(last_contacted_at, ${occurredAt})` })
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...personIds])
    .execute();
}

/** "Last contacted" from the live contact interactions that remain (after a change or a deletion). */
export async function recomputeLastContacted(
  db: Queryable,
  workspaceId: string,
  personIds: readonly string[],
) {
  if (personIds.length === 0) return;
  await sql`
    update people p set last_contacted_at = (
      select max(ip.occurred_at) from interaction_people ip
      join interactions i on i.id = ip.interaction_id
      where ip.workspace_id = ${workspaceId} and ip.person_id = p.id
        and i.deleted_at is null and i.type in (${sql.join(contactTypes)})
    )
    where p.workspace_id = ${workspaceId} and p.id in (${sql.join(personIds)})`.execute(db);
}

export async function setNextFollowUp(
  db: Queryable,
  workspaceId: string,
  personIds: readonly string[],
  at: Date | null,
) {
  if (personIds.length === 0) return;
  await db
    .updateTable('people')
    .set({ next_follow_up_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...personIds])
    .execute();
}
