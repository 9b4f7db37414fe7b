import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { CustomField, CustomFieldEntity } from '../../shared/custom-fields.ts';
import type { CustomFieldRow } from './schema.ts';

export function customFieldOutput(row: CustomFieldRow): CustomField {
  return {
    id: row.id,
    entity: row.entity,
    key: row.key,
    label: row.label,
    type: row.type,
    options: row.options,
    position: row.position,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The definitions of the workspace (of one entity), in their display order. */
export function listDefinitions(db: Queryable, workspaceId: string, entity?: CustomFieldEntity) {
  let query = db.selectFrom('custom_field_definitions').selectAll().where('workspace_id', '=', workspaceId);
  if (entity) query = query.where('entity', '=', entity);
  return query.orderBy('entity').orderBy('position').orderBy('id').execute();
}

export function findDefinition(db: Queryable, workspaceId: string, id: string, lock = false) {
  let query = db
    .selectFrom('custom_field_definitions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function keyTaken(db: Queryable, workspaceId: string, entity: CustomFieldEntity, key: string) {
  const row = await db
    .selectFrom('custom_field_definitions')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('entity', '=', entity)
    .where('key', '=', key)
    .executeTakeFirst();
  return row !== undefined;
}

export async function nextPosition(db: Queryable, workspaceId: string, entity: CustomFieldEntity) {
  const row = await db
    .selectFrom('custom_field_definitions')
    .select(sql<number>`coalesce(max(position) + 1, 0)`.as('next'))
    .where('workspace_id', '=', workspaceId)
    .where('entity', '=', entity)
    .executeTakeFirstOrThrow();
  return Number(row.next);
}

export function insertDefinition(
  db: Queryable,
  values: Omit<CustomFieldRow, 'version' | 'created_at' | 'updated_at' | 'options'> & { options: string },
) {
  return db.insertInto('custom_field_definitions').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateDefinitionRow(
  db: Queryable,
  workspaceId: string,
  id: string,
  values: { label?: string; options?: string; position?: number },
) {
  return db
    .updateTable('custom_field_definitions')
    .set({ ...values, version: sql<number>`version + 1`, updated_at: new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function deleteDefinitionRow(db: Queryable, workspaceId: string, id: string) {
  return db
    .deleteFrom('custom_field_definitions')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/**
 * Removes a deleted field's values from every record of the workspace, in one statement.
 * Versions are bumped: an editor holding the old record gets 409 rather than writing the key back.
 */
export async function removeStoredValues(
  db: Queryable,
  workspaceId: string,
  entity: CustomFieldEntity,
  key: string,
): Promise<number> {
  const table = entity === 'person' ? 'people' : 'organizations';
  const result = await db
    .updateTable(table)
    .set({
      custom_fields: sql<string>`custom_fields - ${key}`,
      version: sql<number>`version + 1`,
      updated_at: new Date(),
    })
    .where('workspace_id', '=', workspaceId)
    .where(sql<boolean>`custom_fields ? ${key}`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Removes options that no longer exist from the stored values of a select / multi-select field. */
export async function removeStoredOptions(
  db: Queryable,
  workspaceId: string,
  definition: Pick<CustomFieldRow, 'entity' | 'key' | 'type'>,
  removed: string[],
) {
  if (removed.length === 0) return;
  const table = definition.entity === 'person' ? 'people' : 'organizations';
  const key = definition.key;
  const newValue =
    definition.type === 'select'
      ? sql<string>`custom_fields - ${key}`
      : sql<string>`jsonb_set(custom_fields, array[${key}]::text[], coalesce((
          select jsonb_agg(option) from jsonb_array_elements_text(custom_fields -> ${key}) option
          where option <> all(${removed}::text[])), '[]'::jsonb))`;
  await db
    .updateTable(table)
    .set({ custom_fields: newValue, version: sql<number>`version + 1`, updated_at: new Date() })
    .where('workspace_id', '=', workspaceId)
    .where(
      definition.type === 'select'
        ? sql<boolean>`custom_fields ->> ${key} = any(${removed}::text[])`
        : sql<boolean>`custom_fields -> ${key} ?| ${removed}::text[]`,
    )
    .execute();
}
