import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';

export interface DashboardRow {
  metrics: string[];
  updated_at: Date;
}

export async function findDashboard(db: Queryable, workspaceId: string, userId: string) {
  const result = await sql<DashboardRow>`
    select metrics, updated_at from user_dashboards
    where user_id = ${userId} and workspace_id = ${workspaceId}`.execute(db);
  return result.rows[0] ?? null;
}

export async function saveDashboard(db: Queryable, workspaceId: string, userId: string, metrics: string[]) {
  const result = await sql<DashboardRow>`
    insert into user_dashboards (user_id, workspace_id, metrics, updated_at)
    values (${userId}, ${workspaceId}, ${sql.val(metrics)}::text[], now())
    on conflict (user_id) do update set metrics = excluded.metrics, workspace_id = excluded.workspace_id,
      updated_at = now()
    returning metrics, updated_at`.execute(db);
  return result.rows[0]!;
}
