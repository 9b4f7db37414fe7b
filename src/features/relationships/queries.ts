import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import {
  builtInRelationshipTypes,
  type PartyType,
  type Relationship,
  type RelationshipType,
} from '../../shared/relationships.ts';
import type { RelationshipTypeRow } from './schema.ts';

export function typeOutput(row: RelationshipTypeRow): RelationshipType {
  return {
    id: row.id,
    key: row.key,
    label: row.label,
    inverseLabel: row.inverse_label,
    symmetric: false,
    builtIn: false,
  };
}

/** Built-in types first, then the workspace's own, by label. */
export async function listTypes(db: Queryable, workspaceId: string): Promise<RelationshipType[]> {
  const rows = await db
    .selectFrom('relationship_types')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('label')
    .orderBy('id')
    .execute();
  const builtIn = builtInRelationshipTypes.map(
    (type): RelationshipType => ({
      id: null,
      key: type.key,
      label: type.label,
      inverseLabel: type.inverseLabel,
      symmetric: type.symmetric,
      builtIn: true,
    }),
  );
  return [...builtIn, ...rows.map(typeOutput)];
}

export function findTypeRow(db: Queryable, workspaceId: string, key: string) {
  return db
    .selectFrom('relationship_types')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('key', '=', key)
    .executeTakeFirst();
}

/** A live person or organization of the workspace. */
export async function partyExists(db: Queryable, workspaceId: string, type: PartyType, id: string) {
  const table = type === 'person' ? 'people' : 'organizations';
  const row = await db
    .selectFrom(table)
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

interface Filter {
  id?: string;
  party?: { type: PartyType; id: string };
  type?: string | undefined;
  beforeId?: string | undefined;
  limit?: number;
}

interface JoinedRow {
  id: string;
  type: string;
  from_type: PartyType;
  from_id: string;
  from_name: string;
  to_type: PartyType;
  to_id: string;
  to_name: string;
  note: string | null;
  created_by: string | null;
  created_at: Date;
  custom_label: string | null;
  custom_inverse_label: string | null;
}

/**
 * Relationships with the names of both ends, newest first. Links whose other end is deleted
 * are hidden (and come back if it is restored). A party filter reads both directions through
 * the from and to indexes.
 */
export async function findRelationships(db: Queryable, workspaceId: string, filter: Filter) {
  const conditions = [sql`r.workspace_id = ${workspaceId}`];
  if (filter.id) conditions.push(sql`r.id = ${filter.id}`);
  if (filter.party) {
    const { type, id } = filter.party;
    conditions.push(
      sql`((r.from_type = ${type} and r.from_id = ${id}) or (r.to_type = ${type} and r.to_id = ${id}))`,
    );
  }
  if (filter.type) conditions.push(sql`r.type = ${filter.type}`);
  if (filter.beforeId) conditions.push(sql`r.id < ${filter.beforeId}`);
  const limit = filter.limit ? sql`limit ${filter.limit}` : sql``;
  const result = await sql<JoinedRow>`
    select r.id, r.type, r.from_type, r.from_id, r.to_type, r.to_id, r.note, r.created_by, r.created_at,
      coalesce(fp.display_name, fo.name) as from_name, coalesce(tp.display_name, tg.name) as to_name,
      rt.label as custom_label, rt.inverse_label as custom_inverse_label
    from relationships r
    left join people fp on r.from_type = 'person' and fp.workspace_id = r.workspace_id
      and fp.id = r.from_id and fp.deleted_at is null
    left join organizations fo on r.from_type = 'organization' and fo.workspace_id = r.workspace_id
      and fo.id = r.from_id and fo.deleted_at is null
    left join people tp on r.to_type = 'person' and tp.workspace_id = r.workspace_id
      and tp.id = r.to_id and tp.deleted_at is null
    left join organizations tg on r.to_type = 'organization' and tg.workspace_id = r.workspace_id
      and tg.id = r.to_id and tg.deleted_at is null
    left join relationship_types rt on rt.workspace_id = r.workspace_id and rt.key = r.type
    where ${sql.join(conditions, sql` and `)}
      and coalesce(fp.id, fo.id) is not null and coalesce(tp.id, tg.id) is not null
    order by r.id desc ${limit}`.execute(db);
  return result.rows.map(relationshipOutput);
}

const builtInByKey = new Map(builtInRelationshipTypes.map((type) => [type.key, type]));

function relationshipOutput(row: JoinedRow): Relationship {
  const builtIn = builtInByKey.get(row.type);
  return {
    id: row.id,
    type: row.type,
    label: builtIn?.label ?? row.custom_label ?? row.type.replaceAll('_', ' '),
    inverseLabel: builtIn ? builtIn.inverseLabel : row.custom_inverse_label,
    from: { type: row.from_type, id: row.from_id, name: row.from_name },
    to: { type: row.to_type, id: row.to_id, name: row.to_name },
    note: row.note,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** Whether a link of this type already joins the two parties (either way for symmetric types). */
export async function linkExists(
  db: Queryable,
  workspaceId: string,
  link: { from: { type: PartyType; id: string }; to: { type: PartyType; id: string }; type: string },
  eitherWay: boolean,
) {
  const { from, to } = link;
  const reverse = eitherWay
    ? sql`or (from_type = ${to.type} and from_id = ${to.id} and to_type = ${from.type} and to_id = ${from.id})`
    : sql``;
  const result = await sql<{ id: string }>`
    select id from relationships
    where workspace_id = ${workspaceId} and type = ${link.type}
      and ((from_type = ${from.type} and from_id = ${from.id} and to_type = ${to.type} and to_id = ${to.id}) ${reverse})
    limit 1`.execute(db);
  return result.rows.length > 0;
}
