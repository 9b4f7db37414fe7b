import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import type { Auth, RequestContext } from '../../platform/http/context.ts';
import type { DeletedOrganization, DeletedPerson, ListDeletedQuery } from '../../shared/recently-deleted.ts';
import { decodeTimeCursor, microsText, type TimeCursor, toTimePage } from '../interactions/cursor.ts';
import { organizationOutput } from '../organizations/queries.ts';
import { restoreWindowDays } from './precondition.ts';
import { type PersonRowWithBirthday, personOutput } from './queries.ts';
import type { OrganizationRow } from './schema.ts';

/**
 * Recently deleted people and organizations: the ones still restorable (deleted less than 30
 * days ago; merged people are left out, a merge is undone instead), newest deletion first, with
 * who deleted them (their latest deletion audit entry). Keyset pages over (deleted_at, id).
 */

/** Cursors name their list, so one of deleted people is refused for organizations. */
const peopleTag = 'deleted-people';
const organizationsTag = 'deleted-organizations';

const withinWindow = (column: string) =>
  sql<boolean>`${sql.ref(column)} > now() - make_interval(days => ${restoreWindowDays})`;

/** The staff user of the latest deletion entry of a record (audit_log_entity_idx). */
function deletedByJoin(entity: 'person' | 'organization', actions: string[], alias: 'p' | 'o') {
  return sql<{ deleted_by_id: string | null; deleted_by_name: string | null }>`(
    select u.id as deleted_by_id, u.name as deleted_by_name
    from audit_log a join users u on u.id = a.actor_id and u.workspace_id = a.workspace_id
    where a.workspace_id = ${sql.ref(`${alias}.workspace_id`)} and a.entity = ${entity}
      and a.entity_id = ${sql.ref(`${alias}.id`)}::text and a.action = any(${actions}::text[])
    order by a.id desc limit 1)`;
}

interface Deletion {
  deleted_at: Date | null;
  cursor_at: string | null;
  deleted_by_id: string | null;
  deleted_by_name: string | null;
}

function deletionOutput(row: Deletion) {
  const deletedAt = row.deleted_at!;
  return {
    deletedAt: deletedAt.toISOString(),
    restorableUntil: new Date(deletedAt.getTime() + restoreWindowDays * 86_400_000).toISOString(),
    deletedBy:
      row.deleted_by_id && row.deleted_by_name ? { id: row.deleted_by_id, name: row.deleted_by_name } : null,
  };
}

function afterCursor(alias: 'p' | 'o', cursor: TimeCursor | null): RawBuilder<boolean> {
  return cursor
    ? sql<boolean>`(${sql.ref(`${alias}.deleted_at`)}, ${sql.ref(`${alias}.id`)}) < (cast(${cursor.at} as timestamptz), cast(${cursor.id} as uuid))`
    : sql<boolean>`true`;
}

type DeletedPersonRow = PersonRowWithBirthday & Deletion;

function deletedPeople(db: Queryable, workspaceId: string, where: RawBuilder<boolean>, limit: number) {
  return db
    .selectFrom('people as p')
    .leftJoinLateral(
      () => deletedByJoin('person', ['person.deleted', 'person.bulk_delete'], 'p').as('d'),
      (join) => join.onTrue(),
    )
    .selectAll('p')
    .select([
      sql<string | null>`to_char(p.birthday, 'YYYY-MM-DD')`.as('birthday_text'),
      microsText('p.deleted_at').as('cursor_at'),
      'd.deleted_by_id',
      'd.deleted_by_name',
    ])
    .where('p.workspace_id', '=', workspaceId)
    .where('p.deleted_at', 'is not', null)
    .where('p.merged_into', 'is', null)
    .where(withinWindow('p.deleted_at'))
    .where(where)
    .orderBy('p.deleted_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute() as Promise<DeletedPersonRow[]>;
}

const deletedPersonOutput = (row: DeletedPersonRow): DeletedPerson => ({
  ...personOutput(row),
  ...deletionOutput(row),
});

export async function listDeletedPeople(ctx: RequestContext, auth: Auth, query: ListDeletedQuery) {
  const cursor = query.after ? decodeTimeCursor(query.after, peopleTag) : null;
  const rows = await deletedPeople(ctx.deps.db, auth.workspaceId, afterCursor('p', cursor), query.limit + 1);
  return toTimePage(rows, query.limit, peopleTag, deletedPersonOutput);
}

/** One restorable deleted person (404 when live, merged, purged, too old or of another workspace). */
export async function getDeletedPerson(ctx: RequestContext, auth: Auth, id: string) {
  const [row] = await deletedPeople(ctx.deps.db, auth.workspaceId, sql<boolean>`p.id = ${id}`, 1);
  if (!row) throw notFound('The deleted person');
  return deletedPersonOutput(row);
}

type DeletedOrganizationRow = OrganizationRow & Deletion & { detached_people: number };

function deletedOrganizations(db: Queryable, workspaceId: string, where: RawBuilder<boolean>, limit: number) {
  return db
    .selectFrom('organizations as o')
    .leftJoinLateral(
      () => deletedByJoin('organization', ['organization.deleted'], 'o').as('d'),
      (join) => join.onTrue(),
    )
    .selectAll('o')
    .select([
      microsText('o.deleted_at').as('cursor_at'),
      'd.deleted_by_id',
      'd.deleted_by_name',
      sql<number>`(select count(*)::int from people x
        where x.detached_organization_id = o.id and x.workspace_id = o.workspace_id
          and x.organization_id is null)`.as('detached_people'),
    ])
    .where('o.workspace_id', '=', workspaceId)
    .where('o.deleted_at', 'is not', null)
    .where(withinWindow('o.deleted_at'))
    .where(where)
    .orderBy('o.deleted_at', 'desc')
    .orderBy('o.id', 'desc')
    .limit(limit)
    .execute() as Promise<DeletedOrganizationRow[]>;
}

const deletedOrganizationOutput = (row: DeletedOrganizationRow): DeletedOrganization => ({
  ...organizationOutput(row),
  ...deletionOutput(row),
  detachedPeople: row.detached_people,
});

export async function listDeletedOrganizations(ctx: RequestContext, auth: Auth, query: ListDeletedQuery) {
  const cursor = query.after ? decodeTimeCursor(query.after, organizationsTag) : null;
  const rows = await deletedOrganizations(
    ctx.deps.db,
    auth.workspaceId,
    afterCursor('o', cursor),
    query.limit + 1,
  );
  return toTimePage(rows, query.limit, organizationsTag, deletedOrganizationOutput);
}

/** One restorable deleted organization (404 when live, purged, too old or of another workspace). */
export async function getDeletedOrganization(ctx: RequestContext, auth: Auth, id: string) {
  const [row] = await deletedOrganizations(ctx.deps.db, auth.workspaceId, sql<boolean>`o.id = ${id}`, 1);
  if (!row) throw notFound('The deleted organization');
  return deletedOrganizationOutput(row);
}
