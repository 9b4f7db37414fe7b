import { sql } from 'kysely';
import type { Queryable } from '../../../platform/db/database.ts';
import {
  isFinished,
  type PortalItem,
  type PortalItemSummary,
  type PortalMessage,
  portalStatusLabels,
} from '../../../shared/portal-items.ts';
import type { ItemRow } from '../../items/schema.ts';

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/**
 * A customer's own items (person_id = theirs), each joined to the item it was merged into, if
 * any: a merged duplicate shows the status and outcome of the surviving item, where the work goes
 * on. The survivor may be another customer's, so only its status, times and outcome are read.
 */
function ownItems(db: Queryable, workspaceId: string, personId: string) {
  return db
    .selectFrom('items as i')
    .leftJoin('items as s', (join) =>
      join.onRef('s.id', '=', 'i.merged_into_id').on('s.workspace_id', '=', workspaceId),
    )
    .selectAll('i')
    .select([
      's.ref as s_ref',
      's.person_id as s_person_id',
      's.status as s_status',
      's.first_responded_at as s_first_responded_at',
      's.resolved_at as s_resolved_at',
      's.closed_at as s_closed_at',
      's.resolution as s_resolution',
      's.informed_at as s_informed_at',
      's.thanked_at as s_thanked_at',
      's.updated_at as s_updated_at',
    ])
    .where('i.workspace_id', '=', workspaceId)
    .where('i.person_id', '=', personId);
}

type OwnItemRow = Awaited<ReturnType<ReturnType<typeof ownItems>['executeTakeFirstOrThrow']>>;

/** The status the customer follows: the survivor's for a merged duplicate. */
const effectiveStatus = (row: OwnItemRow) => (row.merged_into_id && row.s_status ? row.s_status : row.status);

function toSummary(row: OwnItemRow, personId: string): PortalItemSummary {
  const status = effectiveStatus(row);
  const merged = row.merged_into_id !== null && row.s_ref !== null;
  return {
    id: row.id,
    ref: Number(row.ref),
    kind: row.kind,
    subject: row.subject,
    status,
    statusLabel: portalStatusLabels[status],
    rating: row.rating,
    mergedInto: merged
      ? { ref: Number(row.s_ref), id: row.s_person_id === personId ? row.merged_into_id : null }
      : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: (merged && row.s_updated_at && row.s_updated_at > row.updated_at
      ? row.s_updated_at
      : row.updated_at
    ).toISOString(),
  };
}

/** Newest first, keyset-paginated on the (time-ordered) item id. */
export async function listOwnItems(
  db: Queryable,
  workspaceId: string,
  personId: string,
  query: { status?: 'open' | 'closed' | undefined; after?: string | undefined; limit: number },
) {
  let select = ownItems(db, workspaceId, personId);
  if (query.after) select = select.where('i.id', '<', query.after);
  if (query.status) {
    const finished = sql<boolean>`coalesce(s.status, i.status) in ('resolved', 'closed')`;
    select = select.where(query.status === 'closed' ? finished : sql<boolean>`not ${finished}`);
  }
  const rows = await select
    .orderBy('i.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const more = rows.length > query.limit;
  const data = rows.slice(0, query.limit).map((row) => toSummary(row, personId));
  return { data, next: more ? data[data.length - 1]!.id : null };
}

/** The customer's own item, or null (someone else's, another workspace's, or no such item). */
export async function findOwnItem(db: Queryable, workspaceId: string, personId: string, itemId: string) {
  const row = await ownItems(db, workspaceId, personId).where('i.id', '=', itemId).executeTakeFirst();
  return row ?? null;
}

/**
 * The conversation as the customer sees it: inbound and outbound messages only (never notes),
 * of this item, the item it was merged into and the items merged into it. Messages of items that
 * are not the customer's own show only when they are to or from this customer.
 */
async function conversation(db: Queryable, workspaceId: string, personId: string, row: ItemRow) {
  // The ids first (items_merged_idx), so that the messages are read by item_messages_item_idx.
  const mergedIn = await db
    .selectFrom('items')
    .select('id')
    .where('merged_into_id', '=', row.id)
    .where('workspace_id', '=', workspaceId)
    .where('person_id', '=', personId)
    .execute();
  const itemIds = [
    row.id,
    ...(row.merged_into_id ? [row.merged_into_id] : []),
    ...mergedIn.map((item) => item.id),
  ];
  const rows = await db
    .selectFrom('item_messages as m')
    .innerJoin('items as i', (join) =>
      join.onRef('i.id', '=', 'm.item_id').on('i.workspace_id', '=', workspaceId),
    )
    .leftJoin('users as u', (join) =>
      join.onRef('u.id', '=', 'm.author_user_id').on('u.workspace_id', '=', workspaceId),
    )
    .select(['m.id', 'm.kind', 'm.via', 'm.body_text', 'm.created_at', 'u.name as author_name'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.item_id', 'in', itemIds)
    .where('m.kind', 'in', ['inbound', 'outbound'])
    .where((eb) => eb.or([eb('i.person_id', '=', personId), eb('m.person_id', '=', personId)]))
    .orderBy('m.created_at')
    .orderBy('m.id')
    .limit(1000)
    .execute();
  const ids = rows.map((message) => message.id);
  const attachments =
    ids.length === 0
      ? []
      : await db
          .selectFrom('item_attachments')
          .select(['message_id', 'filename'])
          .where('workspace_id', '=', workspaceId)
          .where('message_id', 'in', ids)
          .orderBy('id')
          .execute();
  return rows.map(
    (message): PortalMessage => ({
      id: message.id,
      from: message.kind === 'inbound' ? 'customer' : 'staff',
      staffName:
        message.kind === 'outbound' && message.author_name
          ? (message.author_name.trim().split(/\s+/)[0] ?? null)
          : null,
      via: message.via === 'portal' ? 'portal' : 'email',
      body: message.body_text,
      attachments: attachments
        .filter((attachment) => attachment.message_id === message.id)
        .map((attachment) => ({ filename: attachment.filename })),
      createdAt: message.created_at.toISOString(),
    }),
  );
}

/** The whole item as its customer sees it; no staff-only field (owner, notes, SLA, tags…). */
export async function toPortalItem(
  db: Queryable,
  workspaceId: string,
  personId: string,
  row: OwnItemRow,
): Promise<PortalItem> {
  const summary = toSummary(row, personId);
  const merged = summary.mergedInto !== null;
  const pick = <T>(own: T, survivor: T) => (merged ? survivor : own);
  const finished = isFinished(summary.status);
  return {
    ...summary,
    body: row.body,
    acknowledgedAt: iso(row.acknowledged_at),
    firstRespondedAt: iso(row.first_responded_at ?? (merged ? row.s_first_responded_at : null)),
    resolvedAt: iso(pick(row.resolved_at, row.s_resolved_at)),
    closedAt: iso(pick(row.closed_at, row.s_closed_at)),
    resolution: finished ? pick(row.resolution, row.s_resolution) : null,
    informedAt: iso(pick(row.informed_at, row.s_informed_at)),
    thankedAt: iso(pick(row.thanked_at, row.s_thanked_at)),
    ratingComment: row.rating_comment,
    ratedAt: iso(row.rated_at),
    canRate: finished,
    messages: await conversation(db, workspaceId, personId, row),
  };
}

export type { OwnItemRow };
