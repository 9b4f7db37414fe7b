import { sql } from 'kysely';
import { audit, systemActor } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { restoreWindowDays } from './precondition.ts';

/**
 * Removes people and organizations deleted more than 30 days ago (at most `batch` of each per
 * run; the hourly maintenance job calls this). Their audit trail stays; each removal is audited.
 */
export async function purgeDeleted(tx: Queryable, batch = 1000): Promise<number> {
  let purged = 0;
  for (const [table, entity] of [
    ['people', 'person'],
    ['organizations', 'organization'],
  ] as const) {
    const rows = await tx
      .deleteFrom(table)
      .where(
        'id',
        'in',
        tx
          .selectFrom(table)
          .select('id')
          .where('deleted_at', '<', sql<Date>`now() - make_interval(days => ${restoreWindowDays})`)
          .limit(batch),
      )
      .returning(['id', 'workspace_id'])
      .execute();
    for (const row of rows) {
      await audit(
        tx,
        { actor: systemActor, workspaceId: row.workspace_id, requestId: null },
        { action: `${entity}.purged`, entity, entityId: row.id },
      );
    }
    purged += rows.length;
  }
  return purged;
}
