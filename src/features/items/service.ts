import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { type Auth, actorOf, nowOf, type RequestContext } from '../../platform/http/context.ts';
import type { CreateItemInput, ItemEvent, ListItemsQuery, UpdateItemInput } from '../../shared/listening.ts';
import type { FieldProblem } from '../../shared/people.ts';
import { decodeTimeCursor, encodeTimeCursor } from '../interactions/cursor.ts';
import { unprocessable } from '../people/normalize.ts';
import { requireTransition, runItemAction } from './action.ts';
import { createItemBatched } from './create-batch.ts';
import { toItem, toItems } from './output.ts';
import { findItem, type ItemChanges, itemEventRows, warnBeforeMinutes } from './queries.ts';
import { decodeItemCursor, encodeItemCursor, listItemRows } from './queues.ts';

/** Written together with the creates arriving at the same time (group commit, create-batch.ts). */
export async function createItem(ctx: RequestContext, auth: Auth, input: CreateItemInput) {
  return createItemBatched(ctx.deps, {
    workspaceId: auth.workspaceId,
    actor: actorOf(auth),
    requestId: ctx.requestId,
    input,
    now: nowOf(ctx.deps),
  });
}

export async function getItem(ctx: RequestContext, auth: Auth, id: string) {
  const row = await findItem(ctx.deps.db, auth.workspaceId, id);
  if (!row) throw notFound('The item');
  return toItem(ctx.deps.db, auth.workspaceId, row);
}

export async function listItemsPage(ctx: RequestContext, auth: Auth, query: ListItemsQuery) {
  const db = ctx.deps.db;
  const byClosing = query.queue === 'recently_closed';
  const cursor = query.after ? decodeItemCursor(query.after, byClosing) : null;
  const warnMinutes = query.queue === 'breaching_soon' ? await warnBeforeMinutes(db, auth.workspaceId) : 60;
  const rows = await listItemRows(
    db,
    { workspaceId: auth.workspaceId, userId: auth.userId, now: nowOf(ctx.deps), warnMinutes },
    query,
    cursor,
  );
  const hasMore = rows.length > query.limit;
  const pageRows = hasMore ? rows.slice(0, query.limit) : rows;
  const last = pageRows.at(-1);
  const next =
    hasMore && last
      ? encodeItemCursor(byClosing ? { id: last.id, at: last.cursor_at! } : { id: last.id })
      : null;
  return { data: await toItems(db, auth.workspaceId, pageRows), next };
}

/** 422 for references to another workspace's (or a deleted) person, organization, category or team. */
async function checkUpdateReferences(tx: Queryable, workspaceId: string, input: Partial<UpdateItemInput>) {
  const result = await sql<{
    person: boolean;
    organization: boolean;
    category: boolean;
    team: boolean;
  }>`select
    exists (select 1 from people where workspace_id = ${workspaceId} and id = ${input.personId ?? null}::uuid and deleted_at is null) as person,
    exists (select 1 from organizations where workspace_id = ${workspaceId} and id = ${input.organizationId ?? null}::uuid and deleted_at is null) as organization,
    exists (select 1 from item_categories where workspace_id = ${workspaceId} and id = ${input.categoryId ?? null}::uuid) as category,
    exists (select 1 from teams where workspace_id = ${workspaceId} and id = ${input.teamId ?? null}::uuid) as team`.execute(
    tx,
  );
  const found = result.rows[0]!;
  const problems: FieldProblem[] = [];
  if (input.personId && !found.person)
    problems.push({ path: 'body.personId', message: 'is not a person of this workspace.' });
  if (input.organizationId && !found.organization)
    problems.push({ path: 'body.organizationId', message: 'is not an organization of this workspace.' });
  if (input.categoryId && !found.category)
    problems.push({ path: 'body.categoryId', message: 'is not an item category of this workspace.' });
  if (input.teamId && !found.team)
    problems.push({ path: 'body.teamId', message: 'is not a team of this workspace.' });
  if (problems.length > 0) throw unprocessable(problems);
}

const columnOf = {
  kind: 'kind',
  channel: 'channel',
  subject: 'subject',
  body: 'body',
  personId: 'person_id',
  organizationId: 'organization_id',
  categoryId: 'category_id',
  priority: 'priority',
  sentiment: 'sentiment',
  tags: 'tags',
  status: 'status',
  teamId: 'team_id',
} as const;

/** Changes fields and working statuses; the lifecycle table decides which status changes are allowed. */
export function updateItem(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  input: Omit<UpdateItemInput, 'version'>,
  version: number,
) {
  return runItemAction(ctx, auth, id, version, async ({ tx, row, now }) => {
    if (input.personId || input.organizationId || input.categoryId || input.teamId) {
      await checkUpdateReferences(tx, auth.workspaceId, input);
    }
    const changes: Record<string, unknown> = {};
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    for (const [field, column] of Object.entries(columnOf) as [keyof typeof columnOf, keyof ItemChanges][]) {
      const value = field === 'tags' && input.tags ? [...new Set(input.tags)] : input[field];
      if (value === undefined) continue;
      const current = row[column as keyof typeof row];
      if (JSON.stringify(current) === JSON.stringify(value)) continue;
      changes[column] = value;
      diff[field] = {
        from: field === 'body' ? undefined : current,
        to: field === 'body' ? undefined : value,
      };
    }
    if (Object.keys(changes).length === 0) return null;
    if (input.status && changes.status) {
      requireTransition(row, input.status);
      if (input.status === 'acknowledged' && !row.acknowledged_at) changes.acknowledged_at = now;
    }
    const sla = ['kind', 'priority', 'status'].some((field) => field in diff);
    return {
      changes: changes as ItemChanges,
      event: {
        type: changes.status && Object.keys(diff).length === 1 ? 'status_changed' : 'updated',
        data: diff,
      },
      auditAction: 'item.updated',
      sla,
    };
  });
}

export async function itemEventsPage(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  query: { after?: string | undefined; limit: number },
) {
  const db = ctx.deps.db;
  const exists = await findItem(db, auth.workspaceId, id);
  if (!exists) throw notFound('The item');
  const cursor = query.after ? decodeTimeCursor(query.after, 'item-events') : null;
  const rows = await itemEventRows(db, auth.workspaceId, id, cursor, query.limit);
  const hasMore = rows.length > query.limit;
  const pageRows = hasMore ? rows.slice(0, query.limit) : rows;
  const last = pageRows.at(-1);
  const data: ItemEvent[] = pageRows.map(({ cursor_at: _, createdAt, ...event }) => ({
    ...event,
    data: (event.data ?? {}) as Record<string, unknown>,
    createdAt: new Date(createdAt).toISOString(),
  }));
  return { data, next: hasMore && last ? encodeTimeCursor('item-events', last.cursor_at, last.id) : null };
}
