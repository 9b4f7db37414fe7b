import { sql, type Updateable } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { ItemEvent } from '../../shared/listening.ts';
import type { ItemRow, ItemsTable } from './schema.ts';

export function findItem(db: Queryable, workspaceId: string, id: string, lock = false) {
  let query = db.selectFrom('items').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export type ItemChanges = Omit<Updateable<ItemsTable>, 'id' | 'workspace_id' | 'version' | 'ref'>;

/** Writes changes and bumps the version; returns the new row. */
export function updateItemRow(db: Queryable, workspaceId: string, id: string, changes: ItemChanges) {
  return db
    .updateTable('items')
    .set({ ...changes, version: sql<number>`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow() as Promise<ItemRow>;
}

/** An active staff user of the workspace, with their team. */
export function findActiveUser(db: Queryable, workspaceId: string, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'team_id'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export function userName(db: Queryable, workspaceId: string, userId: string) {
  return db
    .selectFrom('users')
    .select('name')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .executeTakeFirst()
    .then((row) => row?.name ?? null);
}

/** business_hours.warn_before_minutes, 60 when the workspace has no calendar yet. */
export async function warnBeforeMinutes(db: Queryable, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('business_hours')
    .select('warn_before_minutes')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return row?.warn_before_minutes ?? 60;
}

/**
 * A page (limit + 1 rows) of an item's history, oldest first, after (created_at, id) of the
 * cursor. The actor's name comes from the staff user, or from the person for customer events.
 */
export async function itemEventRows(
  db: Queryable,
  workspaceId: string,
  itemId: string,
  cursor: { at: string | null; id: string } | null,
  limit: number,
) {
  const after = cursor
    ? sql`and (e.created_at, e.id) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
    : sql``;
  const result = await sql<Omit<ItemEvent, 'createdAt'> & { createdAt: Date; cursor_at: string }>`
    select e.id, e.type, e.actor_type as "actorType", e.actor_id as "actorId",
      case when e.actor_type = 'customer' then p.display_name else u.name end as "actorName",
      e.data, e.created_at as "createdAt",
      to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at
    from item_events e
    left join users u on e.actor_type in ('user', 'token') and u.id = e.actor_id and u.workspace_id = e.workspace_id
    left join people p on e.actor_type = 'customer' and p.id = e.actor_id and p.workspace_id = e.workspace_id
    where e.item_id = ${itemId} and e.workspace_id = ${workspaceId} ${after}
    order by e.created_at, e.id
    limit ${limit + 1}`.execute(db);
  return result.rows;
}
