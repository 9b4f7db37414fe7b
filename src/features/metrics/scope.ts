import { type RawBuilder, sql } from 'kysely';
import type { MetricFilter } from '../../shared/metrics.ts';

/**
 * The items a metric looks at, as SQL on the alias `i`: the workspace's items that were not
 * merged into another (a merged duplicate is counted once, as its survivor), narrowed by the filter.
 */
export function itemsScope(workspaceId: string, filter: MetricFilter): RawBuilder<unknown> {
  const parts = [sql`i.workspace_id = ${workspaceId}`, sql`i.merged_into_id is null`];
  if (filter.kind) parts.push(sql`i.kind in (${sql.join(filter.kind)})`);
  if (filter.channel) parts.push(sql`i.channel in (${sql.join(filter.channel)})`);
  if (filter.priority) parts.push(sql`i.priority in (${sql.join(filter.priority)})`);
  if (filter.categoryId) parts.push(sql`i.category_id = ${filter.categoryId}`);
  if (filter.teamId) parts.push(sql`i.team_id = ${filter.teamId}`);
  if (filter.ownerId) parts.push(sql`i.owner_id = ${filter.ownerId}`);
  if (filter.organizationId) parts.push(sql`i.organization_id = ${filter.organizationId}`);
  if (filter.tag) parts.push(sql`i.tags @> array[${filter.tag}]::text[]`);
  return sql.join(parts, sql` and `);
}
