import type { Queryable } from '../../platform/db/database.ts';
import type { Item, Observation } from '../../shared/listening.ts';
import { observationsByItem } from './observations.ts';
import type { ItemRow } from './schema.ts';

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/**
 * The Item JSON for rows of one workspace: two queries for a whole page (the customers' names
 * and the observations), never one per item.
 */
export async function toItems(db: Queryable, workspaceId: string, rows: readonly ItemRow[]): Promise<Item[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const personIds = [...new Set(rows.flatMap((row) => (row.person_id ? [row.person_id] : [])))];
  const [people, byItem] = await Promise.all([
    personIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('people')
          .select(['id', 'display_name'])
          .where('workspace_id', '=', workspaceId)
          .where('id', 'in', personIds)
          .execute(),
    observationsByItem(db, workspaceId, ids),
  ]);
  const names = new Map(people.map((person) => [person.id, person.display_name]));
  return rows.map((row) =>
    itemJson(row, row.person_id ? (names.get(row.person_id) ?? null) : null, byItem.get(row.id) ?? []),
  );
}

/** The Item JSON of a row whose customer's name and observations are known (a new item: create-batch.ts). */
export function itemJson(row: ItemRow, personName: string | null, observations: Observation[]): Item {
  return {
    id: row.id,
    ref: Number(row.ref),
    kind: row.kind,
    channel: row.channel,
    subject: row.subject,
    body: row.body,
    personId: row.person_id,
    personName,
    reporterName: row.reporter_name,
    reporterEmail: row.reporter_email,
    organizationId: row.organization_id,
    categoryId: row.category_id,
    priority: row.priority,
    sentiment: row.sentiment,
    status: row.status,
    ownerId: row.owner_id,
    teamId: row.team_id,
    escalationLevel: row.escalation_level,
    tags: row.tags,
    firstResponseDueAt: iso(row.first_response_due_at),
    resolutionDueAt: iso(row.resolution_due_at),
    firstRespondedAt: iso(row.first_responded_at),
    firstResponseBreachedAt: iso(row.first_response_breached_at),
    resolutionBreachedAt: iso(row.resolution_breached_at),
    slaPausedAt: iso(row.sla_paused_at),
    acknowledgedAt: iso(row.acknowledged_at),
    resolvedAt: iso(row.resolved_at),
    resolution: row.resolution,
    informedAt: iso(row.informed_at),
    thankedAt: iso(row.thanked_at),
    closedAt: iso(row.closed_at),
    closeReason: row.close_reason,
    observations,
    problemId: row.problem_id,
    mergedIntoId: row.merged_into_id,
    voteCount: row.vote_count,
    rating: row.rating,
    ratingComment: row.rating_comment,
    ratedAt: iso(row.rated_at),
    handlingMinutes: row.handling_minutes,
    createdBy: row.created_by,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** One item's JSON. */
export async function toItem(db: Queryable, workspaceId: string, row: ItemRow): Promise<Item> {
  const [item] = await toItems(db, workspaceId, [row]);
  return item!;
}
