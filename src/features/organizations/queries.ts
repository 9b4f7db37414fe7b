import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { ListOrganizationsQuery, Organization } from '../../shared/organizations.ts';
import { foldForSearch, normalizeTags } from '../../shared/people.ts';
import { afterCursor, type Sort, sortValue } from '../people/keyset.ts';
import { matchesText, type QueryMatch } from '../people/queries.ts';
import type { OrganizationRow } from '../people/schema.ts';

export function organizationOutput(row: OrganizationRow): Organization {
  return {
    id: row.id,
    name: row.name,
    domains: row.domains,
    industry: row.industry,
    size: row.size,
    address: (row.address as Organization['address']) ?? null,
    parentId: row.parent_id,
    tags: row.tags,
    customFields: row.custom_fields,
    notes: row.notes,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The columns to write for an organization (derived ones included). */
export function organizationColumns(org: Omit<Organization, 'id' | 'version' | 'createdAt' | 'updatedAt'>) {
  return {
    name: org.name,
    sort_name: foldForSearch(org.name),
    search_name: foldForSearch(org.name),
    search_text: foldForSearch([org.name, ...org.domains, ...org.tags, org.industry ?? ''].join(' ')),
    domains: org.domains,
    industry: org.industry,
    size: org.size,
    address: org.address ? JSON.stringify(org.address) : null,
    parent_id: org.parentId,
    tags: org.tags,
    custom_fields: JSON.stringify(org.customFields),
    notes: org.notes,
  };
}
export type OrganizationColumns = ReturnType<typeof organizationColumns>;

export function findOrganization(db: Queryable, workspaceId: string, id: string, lock = false) {
  let query = db
    .selectFrom('organizations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export function findDeletedOrganization(db: Queryable, workspaceId: string, id: string) {
  return db
    .selectFrom('organizations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is not', null)
    .forUpdate()
    .executeTakeFirst();
}

export function insertOrganization(
  db: Queryable,
  values: { id: string; workspace_id: string } & OrganizationColumns,
) {
  return db.insertInto('organizations').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateOrganizationRow(
  db: Queryable,
  workspaceId: string,
  id: string,
  values: Partial<OrganizationColumns> & { deleted_at?: Date | null; updated_at?: Date },
) {
  return db
    .updateTable('organizations')
    .set({ ...values, version: sql<number>`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Clears the organization of its people (deleted people included, so that restoring one never
 * brings back a link to a deleted organization), remembering it in detached_organization_id.
 */
export function detachPeople(db: Queryable, workspaceId: string, organizationId: string) {
  return db
    .updateTable('people')
    .set({
      detached_organization_id: organizationId,
      organization_id: null,
      version: sql<number>`version + 1`,
      updated_at: new Date(),
    })
    .where('workspace_id', '=', workspaceId)
    .where('organization_id', '=', organizationId)
    .returning(['id', 'version'])
    .execute();
}

/**
 * Links back the people the organization's deletion detached, those that still have no
 * organization; the others (given another one since) only forget it.
 */
export async function relinkPeople(db: Queryable, workspaceId: string, organizationId: string) {
  const relinked = await db
    .updateTable('people')
    .set({
      organization_id: organizationId,
      detached_organization_id: null,
      version: sql<number>`version + 1`,
      updated_at: new Date(),
    })
    .where('workspace_id', '=', workspaceId)
    .where('detached_organization_id', '=', organizationId)
    .where('organization_id', 'is', null)
    .returning(['id', 'version'])
    .execute();
  await db
    .updateTable('people')
    .set({ detached_organization_id: null })
    .where('workspace_id', '=', workspaceId)
    .where('detached_organization_id', '=', organizationId)
    .execute();
  return relinked;
}

/** The chain of parents above an organization (nearest first), to refuse loops. */
export async function ancestorsOf(db: Queryable, workspaceId: string, id: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from organizations where workspace_id = ${workspaceId} and id = ${id}
      union all
      select o.id, o.parent_id, up.depth + 1 from organizations o
      join up on o.id = up.parent_id
      where o.workspace_id = ${workspaceId} and up.depth < 100
    )
    select id from up order by depth`.execute(db);
  return result.rows.map((row) => row.id);
}

/** The list query, not yet run (listPageWithQuery builds each of its steps from it). */
export function organizationsListQuery(
  db: Queryable,
  workspaceId: string,
  filters: ListOrganizationsQuery & { qMatch?: QueryMatch | null; customFieldMatches?: string[] },
  sort: Sort,
  cursor: { value: string; id: string } | null,
) {
  let query = db
    .selectFrom('organizations')
    .selectAll()
    .select(sortValue(sort).as('sort_value'))
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null);
  const q = filters.q ? foldForSearch(filters.q) : '';
  if (q) query = query.where(matchesText(q, 'organizations', filters.qMatch ?? 'exact'));
  if (filters.tag?.length) {
    query = query.where('tags', '@>', sql<string[]>`cast(${normalizeTags(filters.tag)} as text[])`);
  }
  if (filters.parentId) query = query.where('parent_id', '=', filters.parentId);
  for (const match of filters.customFieldMatches ?? [])
    query = query.where(sql<boolean>`custom_fields @> cast(${match} as jsonb)`);
  if (cursor) query = query.where(afterCursor(sort, cursor));
  return query
    .orderBy(sort.column, sort.direction)
    .orderBy('id', sort.direction)
    .limit(filters.limit + 1);
}
