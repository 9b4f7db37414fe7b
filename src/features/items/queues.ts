import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/tables.ts';
import { AppError } from '../../platform/errors.ts';
import { isCursorTime } from '../../platform/http/pagination.ts';
import { uuidPattern } from '../../platform/ids.ts';
import type { ListItemsQuery } from '../../shared/listening.ts';
import { likeEscape } from '../people/keyset.ts';
import type { ItemRow } from './schema.ts';

/**
 * Open statuses written as literals (not parameters) so that the planner proves the partial
 * indexes of migrations 0007/0011 apply.
 */
const openList = `('new', 'acknowledged', 'in_progress', 'waiting_on_customer', 'reopened')`;
const isOpen = sql<boolean>`status in ${sql.raw(openList)}`;
/** Mine and team: open items and resolved ones whose loop is not closed yet (0012's indexes). */
const notClosed = sql<boolean>`status <> 'closed'`;
const openIn = (alias: string) => sql<boolean>`${sql.ref(`${alias}.status`)} in ${sql.raw(openList)}`;
/** How far back "recently closed" looks. */
export const recentlyClosedDays = 7;

export interface ItemCursor {
  id: string;
  /** closed_at (ISO, microseconds) for the recently_closed queue, ordered by closing time. */
  at?: string;
}

export function encodeItemCursor(cursor: ItemCursor): string {
  return Buffer.from(JSON.stringify({ t: 'items', ...cursor })).toString('base64url');
}

/** Words of `q` matched against the subject; more are ignored (each is one more trigram lookup). */
const maxSubjectWords = 8;

export function decodeItemCursor(after: string, needsTime: boolean): ItemCursor {
  const message = 'must be the `next` value of a previous page of this list.';
  let parsed: { t?: unknown; id?: unknown; at?: unknown } | null = null;
  try {
    parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {}
  const valid =
    parsed?.t === 'items' &&
    typeof parsed.id === 'string' &&
    uuidPattern.test(parsed.id) &&
    (needsTime ? isCursorTime(parsed.at) : parsed.at === undefined);
  if (!valid) {
    throw new AppError('validation_failed', `query.after: ${message}`, {
      errors: [{ path: 'query.after', message }],
    });
  }
  return needsTime ? { id: parsed!.id as string, at: parsed!.at as string } : { id: parsed!.id as string };
}

export interface QueueContext {
  workspaceId: string;
  userId: string;
  now: Date;
  /** business_hours.warn_before_minutes (default 60); read only for breaching_soon. */
  warnMinutes: number;
}

type ItemQuery = SelectQueryBuilder<Tables, 'items', ItemRow & { cursor_at: string | null }>;

function applyQueue(query: ItemQuery, queue: ListItemsQuery['queue'], context: QueueContext): ItemQuery {
  switch (queue) {
    case 'all':
      return query;
    case 'open':
      return query.where(isOpen);
    case 'unowned':
      // The predicate of items_unowned_idx, word for word.
      return query.where(sql<boolean>`owner_id is null and status not in ('resolved', 'closed')`);
    case 'mine':
      return query.where('owner_id', '=', context.userId).where(notClosed);
    case 'team':
      return query
        .where(
          'team_id',
          '=',
          sql<string>`(select u.team_id from users u where u.id = ${context.userId} and u.workspace_id = ${context.workspaceId})`,
        )
        .where(notClosed);
    case 'breaching_soon': {
      // The due-time indexes find the few items inside the window; scanning open items by id
      // and filtering would read most of them when few are due.
      const horizon = new Date(context.now.getTime() + context.warnMinutes * 60_000);
      const now = context.now;
      return query.where(sql<boolean>`id = any(array(
        select i.id from items i where i.workspace_id = ${context.workspaceId}
          and ${openIn('i')} and i.first_responded_at is null and i.first_response_breached_at is null
          and i.sla_paused_at is null and i.first_response_due_at > ${now} and i.first_response_due_at <= ${horizon}
        union
        select i.id from items i where i.workspace_id = ${context.workspaceId}
          and ${openIn('i')} and i.resolution_breached_at is null
          and i.sla_paused_at is null and i.resolution_due_at > ${now} and i.resolution_due_at <= ${horizon}))`);
    }
    case 'breached':
      return query
        .where(sql<boolean>`(first_response_breached_at is not null or resolution_breached_at is not null)`)
        .where(isOpen);
    case 'escalated':
      return query.where(sql<boolean>`escalation_level <> 'agent'`).where(isOpen);
    case 'waiting_on_customer':
      return query.where('status', '=', 'waiting_on_customer');
    case 'recently_closed':
      return query
        .where('closed_at', 'is not', null)
        .where('closed_at', '>=', new Date(context.now.getTime() - recentlyClosedDays * 86_400_000));
  }
}

/**
 * A filter that contradicts the queue (breached=false in "breached", level agent in "escalated"):
 * the answer is empty. Filters are parameters, so the planner cannot see it and would scan the
 * whole queue (every breached item, 600 ms on 1M items) to find nothing.
 */
function contradictsQueue(filters: ListItemsQuery): boolean {
  return (
    (filters.queue === 'breached' && filters.breached === false) ||
    (filters.queue === 'escalated' && filters.escalationLevel === 'agent')
  );
}

function applyFilters(query: ItemQuery, filters: ListItemsQuery): ItemQuery {
  if (contradictsQueue(filters)) return query.where(sql<boolean>`false`);
  let q = query;
  if (filters.kind) q = q.where('kind', '=', filters.kind);
  if (filters.status) q = q.where('status', '=', filters.status);
  if (filters.channel) q = q.where('channel', '=', filters.channel);
  if (filters.priority) q = q.where('priority', '=', filters.priority);
  if (filters.ownerId) q = q.where('owner_id', '=', filters.ownerId);
  if (filters.personId) q = q.where('person_id', '=', filters.personId);
  if (filters.organizationId) q = q.where('organization_id', '=', filters.organizationId);
  if (filters.categoryId) q = q.where('category_id', '=', filters.categoryId);
  if (filters.problemId) q = q.where('problem_id', '=', filters.problemId);
  if (filters.tag) q = q.where(sql<boolean>`tags @> array[${filters.tag}]::text[]`);
  if (filters.escalationLevel) q = q.where('escalation_level', '=', filters.escalationLevel);
  if (filters.breached !== undefined) {
    const breached = sql<boolean>`(first_response_breached_at is not null or resolution_breached_at is not null)`;
    q = q.where(filters.breached ? breached : sql<boolean>`not ${breached}`);
  }
  if (filters.createdAfter) q = q.where('created_at', '>=', new Date(filters.createdAfter));
  if (filters.createdBefore) q = q.where('created_at', '<', new Date(filters.createdBefore));
  if (filters.q) {
    // Every word somewhere in the subject, in any order ("car start" finds "Car won't start").
    const words = filters.q.trim().split(/\s+/).slice(0, maxSubjectWords);
    const subject = sql.join(
      words.map((word) => sql<boolean>`subject ilike ${`%${likeEscape(word)}%`}`),
      sql` and `,
    );
    // "#1042" or "1042" also finds the item people quote by its number.
    const ref = /^#?(\d{1,15})$/.exec(filters.q.trim())?.[1];
    q = ref
      ? q.where(sql<boolean>`(ref = ${ref}::bigint or ${subject})`)
      : q.where(sql<boolean>`(${subject})`);
  }
  return q;
}

/**
 * One page (limit + 1 rows) of a queue with filters, newest first. Every queue is an index range
 * in (workspace_id, …, id desc); recently_closed is ordered by closing time instead.
 */
export function listItemRows(
  db: Queryable,
  context: QueueContext,
  filters: ListItemsQuery,
  cursor: ItemCursor | null,
) {
  return itemListQuery(db, context, filters, cursor).execute();
}

/** The query of listItemRows, unexecuted (tests read its plan). */
export function itemListQuery(
  db: Queryable,
  context: QueueContext,
  filters: ListItemsQuery,
  cursor: ItemCursor | null,
) {
  const byClosing = filters.queue === 'recently_closed';
  let query: ItemQuery = db
    .selectFrom('items')
    .selectAll()
    .select(
      byClosing
        ? sql<string | null>`to_char(closed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
            'cursor_at',
          )
        : sql<string | null>`null::text`.as('cursor_at'),
    )
    .where('workspace_id', '=', context.workspaceId);
  query = applyFilters(applyQueue(query, filters.queue, context), filters);
  if (byClosing) {
    if (cursor?.at) {
      const at = cursor.at;
      query = query.where((eb: ExpressionBuilder<Tables, 'items'>) =>
        eb(sql`(closed_at, id)`, '<', sql`(${at}::timestamptz, ${cursor.id}::uuid)`),
      );
    }
    return query
      .orderBy('closed_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filters.limit + 1);
  }
  if (cursor) query = query.where('id', '<', cursor.id);
  const createdBelow = filters.createdBefore ? idBoundBelow(new Date(filters.createdBefore)) : null;
  if (createdBelow) {
    // Items created before X: those whose id is under createdBelow, and the backdated ones
    // (migration 0021). Each half is a page of its own (an index range in id order, limited),
    // merged by id (Merge Append): the page no longer reads every newer item to find old ones.
    // A flattened UNION ALL without the inner limits is appended and sorted whole instead.
    const page = filters.limit + 1;
    const below = query.where('id', '<', createdBelow).orderBy('id', 'desc').limit(page);
    const backdated = query
      .where('id', '>=', createdBelow)
      .where(sql<boolean>`item_backdated(id, created_at)`)
      .orderBy('id', 'desc')
      .limit(page);
    const merged = db
      .selectFrom(below.as('below'))
      .selectAll()
      .unionAll(db.selectFrom(backdated.as('backdated')).selectAll());
    return db.selectFrom(merged.as('items')).selectAll().orderBy('id', 'desc').limit(page);
  }
  return query.orderBy('id', 'desc').limit(filters.limit + 1);
}

/** The largest possible UUIDv7 time (48 bits of milliseconds). */
const maxIdMs = 2 ** 48 - 1;

/**
 * The lowest id made a minute after `before` (the tolerance of item_backdated, plus a millisecond):
 * an item created before `before` that is not backdated has a smaller id. Null past year 10889.
 */
function idBoundBelow(before: Date): string | null {
  const ms = before.getTime() + 60_001;
  if (!Number.isFinite(ms) || ms < 0 || ms > maxIdMs) return null;
  const hex = ms.toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}
