import type { CustomerAuth } from '../../../platform/auth/portal-sessions.ts';
import type { Queryable } from '../../../platform/db/database.ts';
import type { MyDataExport } from '../../../shared/portal-me.ts';
import { loadMyData, toMyItem } from './read.ts';

const iso = (value: Date | null) => value?.toISOString() ?? null;

/** Item messages the customer may read: everything but staff notes, oldest first. */
async function conversations(db: Queryable, workspaceId: string, itemIds: string[]) {
  if (itemIds.length === 0) return new Map<string, MyDataExport['items'][number]['messages']>();
  const rows = await db
    .selectFrom('item_messages')
    .select(['item_id', 'kind', 'via', 'subject', 'body_text', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('item_id', 'in', itemIds)
    .where('kind', '<>', 'note')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const byItem = new Map<string, MyDataExport['items'][number]['messages']>();
  for (const row of rows) {
    const list = byItem.get(row.item_id) ?? [];
    list.push({
      at: row.created_at.toISOString(),
      from: row.kind === 'inbound' ? 'you' : 'staff',
      via: row.via,
      subject: row.subject,
      body: row.body_text,
    });
    byItem.set(row.item_id, list);
  }
  return byItem;
}

async function intentsOf(db: Queryable, workspaceId: string, personId: string) {
  const intents = await db
    .selectFrom('intents')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('person_id', '=', personId)
    .orderBy('created_at', 'desc')
    .execute();
  const ids = intents.map((intent) => intent.id);
  const responses = ids.length
    ? await db
        .selectFrom('intent_responses')
        .select(['intent_id', 'person_id', 'body', 'created_at'])
        .where('workspace_id', '=', workspaceId)
        .where('intent_id', 'in', ids)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    : [];
  return intents.map((intent) => ({
    id: intent.id,
    what: intent.what,
    budgetMin: intent.budget_min,
    budgetMax: intent.budget_max,
    currency: intent.currency,
    wantedBy: intent.wanted_by,
    channel: intent.channel,
    status: intent.status,
    createdAt: intent.created_at.toISOString(),
    responses: responses
      .filter((response) => response.intent_id === intent.id)
      .map((response) => ({
        from: response.person_id ? ('you' as const) : ('staff' as const),
        body: response.body,
        at: response.created_at.toISOString(),
      })),
  }));
}

/** What the customer did through the portal (their audit rows), oldest first. */
function customerAuditRows(db: Queryable, workspaceId: string, personId: string) {
  return db
    .selectFrom('audit_log')
    .select(['action', 'entity', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('actor_type', '=', 'customer')
    .where('actor_id', '=', personId)
    .orderBy('id')
    .execute();
}

/** "Download everything": all the customer's data in one JSON document. */
export async function exportMyData(
  db: Queryable,
  customer: CustomerAuth,
  workspaceName: string,
  now: Date,
): Promise<MyDataExport> {
  const { personId, itemRows, ...mine } = await loadMyData(db, customer, undefined);
  const empty = {
    ...mine,
    exportedAt: now.toISOString(),
    workspace: workspaceName,
    items: [],
    votes: [],
    suggestionComments: [],
    articleFeedback: [],
    intents: [],
    erasureRequests: [],
    signIns: [],
    activity: [],
  };
  if (!personId) return empty;
  const workspaceId = customer.workspaceId;
  const [messages, votes, comments, feedback, intents, erasures, audits] = await Promise.all([
    conversations(
      db,
      workspaceId,
      itemRows.map((row) => row.id),
    ),
    db
      .selectFrom('item_votes as v')
      .leftJoin('items as i', 'i.id', 'v.item_id')
      .select(['v.item_id', 'i.subject', 'v.created_at'])
      .where('v.workspace_id', '=', workspaceId)
      .where('v.person_id', '=', personId)
      .orderBy('v.created_at')
      .execute(),
    db
      .selectFrom('suggestion_comments')
      .select(['item_id', 'body', 'created_at'])
      .where('workspace_id', '=', workspaceId)
      .where('person_id', '=', personId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('kb_feedback as f')
      .leftJoin('kb_articles as a', 'a.id', 'f.article_id')
      .select(['f.article_id', 'a.title', 'f.helpful', 'f.created_at'])
      .where('f.workspace_id', '=', workspaceId)
      .where('f.person_id', '=', personId)
      .orderBy('f.created_at')
      .execute(),
    intentsOf(db, workspaceId, personId),
    db
      .selectFrom('erasure_requests')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('person_id', '=', personId)
      .orderBy('requested_at')
      .execute(),
    customerAuditRows(db, workspaceId, personId),
  ]);
  return {
    ...empty,
    items: itemRows.map((row) => ({
      ...toMyItem(row),
      body: row.body,
      rating: row.rating,
      messages: messages.get(row.id) ?? [],
    })),
    votes: votes.map((vote) => ({
      itemId: vote.item_id,
      subject: vote.subject,
      at: vote.created_at.toISOString(),
    })),
    suggestionComments: comments.map((comment) => ({
      itemId: comment.item_id,
      body: comment.body,
      at: comment.created_at.toISOString(),
    })),
    articleFeedback: feedback.map((row) => ({
      articleId: row.article_id,
      title: row.title,
      helpful: row.helpful,
      at: row.created_at.toISOString(),
    })),
    intents,
    erasureRequests: erasures.map((request) => ({
      status: request.status,
      reason: request.reason,
      requestedAt: request.requested_at.toISOString(),
      dueAt: request.due_at.toISOString(),
      decidedAt: iso(request.decided_at),
      decisionNote: request.decision_note,
      completedAt: iso(request.completed_at),
    })),
    signIns: audits
      .filter((row) => row.action === 'portal.signed_in')
      .map((row) => ({ at: row.created_at.toISOString() })),
    activity: audits.map((row) => ({
      at: row.created_at.toISOString(),
      action: row.action,
      entity: row.entity,
    })),
  };
}
