import { sql } from 'kysely';
import type { Auth, RequestContext } from '../../platform/http/context.ts';
import type { GoneQuietPerson, GoneQuietQuery } from '../../shared/interactions.ts';
import { decodeTimeCursor, microsText, toTimePage } from './cursor.ts';

/**
 * People not contacted within `days`, the longest-quiet first. Never-contacted people are left
 * out unless `includeNever` (a person just added is not "quiet"); when included they come
 * first. The sort key, coalesce(last_contacted_at, -infinity), is the one of
 * people_last_contacted_idx (and people_owner_quiet_idx with an owner), so each page is a range scan.
 */
const quietKey = sql<Date>`coalesce(p.last_contacted_at, '-infinity'::timestamptz)`;
const dayMs = 86_400_000;

export async function goneQuietPage(ctx: RequestContext, auth: Auth, query: GoneQuietQuery) {
  const cursor = query.after ? decodeTimeCursor(query.after, 'gone-quiet') : null;
  const cutoff = new Date(Date.now() - query.days * dayMs);
  let select = ctx.deps.db
    .selectFrom('people as p')
    .leftJoin('users as u', (join) =>
      join.onRef('u.id', '=', 'p.owner_id').on('u.workspace_id', '=', auth.workspaceId),
    )
    .leftJoin('organizations as o', (join) =>
      join
        .onRef('o.id', '=', 'p.organization_id')
        .on('o.workspace_id', '=', auth.workspaceId)
        .on('o.deleted_at', 'is', null),
    )
    .select([
      'p.id',
      'p.display_name',
      'p.stage',
      'p.last_contacted_at',
      'p.next_follow_up_at',
      'u.id as owner_id',
      'u.name as owner_name',
      'o.id as org_id',
      'o.name as org_name',
    ])
    .select(microsText('p.last_contacted_at').as('cursor_at'))
    .where('p.workspace_id', '=', auth.workspaceId)
    .where('p.deleted_at', 'is', null)
    .where(sql<boolean>`${quietKey} < ${cutoff}`);
  if (!query.includeNever) select = select.where(sql<boolean>`${quietKey} > '-infinity'::timestamptz`);
  if (query.ownerId) select = select.where('p.owner_id', '=', query.ownerId);
  if (query.stage?.length) select = select.where('p.stage', 'in', query.stage);
  if (cursor) {
    const at = cursor.at === null ? sql`'-infinity'::timestamptz` : sql`cast(${cursor.at} as timestamptz)`;
    select = select.where(sql<boolean>`(${quietKey}, p.id) > (${at}, cast(${cursor.id} as uuid))`);
  }
  const rows = await select
    .orderBy(quietKey, 'asc')
    .orderBy('p.id', 'asc')
    .limit(query.limit + 1)
    .execute();
  const now = Date.now();
  return toTimePage(
    rows,
    query.limit,
    'gone-quiet',
    (row): GoneQuietPerson => ({
      id: row.id,
      displayName: row.display_name,
      stage: row.stage,
      lastContactedAt: row.last_contacted_at?.toISOString() ?? null,
      nextFollowUpAt: row.next_follow_up_at?.toISOString() ?? null,
      daysSinceContact: row.last_contacted_at
        ? Math.floor((now - row.last_contacted_at.getTime()) / dayMs)
        : null,
      owner: row.owner_id && row.owner_name ? { id: row.owner_id, name: row.owner_name } : null,
      organization: row.org_id && row.org_name ? { id: row.org_id, name: row.org_name } : null,
    }),
  );
}
