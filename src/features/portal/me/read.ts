import type { CustomerAuth } from '../../../platform/auth/portal-sessions.ts';
import type { Queryable } from '../../../platform/db/database.ts';
import type { MyData, MyItem } from '../../../shared/portal-me.ts';
import { contactOf, defaultTermsRecord, findMyPersonRow, personOutput, termsHistory } from './person.ts';

/** How many interactions and items GET /me lists; the export has them all. */
export const meListLimit = 100;

const iso = (value: Date | null) => value?.toISOString() ?? null;

export async function organizationName(db: Queryable, workspaceId: string, id: string | null) {
  if (!id) return null;
  const row = await db
    .selectFrom('organizations')
    .select('name')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row ? { name: row.name } : null;
}

/** Timeline entries the person took part in; staff notes (type 'note') are internal. */
export async function myInteractions(db: Queryable, workspaceId: string, personId: string, limit?: number) {
  let query = db
    .selectFrom('interaction_people as ip')
    .innerJoin('interactions as i', (join) =>
      join.onRef('i.id', '=', 'ip.interaction_id').onRef('i.workspace_id', '=', 'ip.workspace_id'),
    )
    .select(['i.id', 'i.type', 'i.channel', 'i.direction', 'i.occurred_at', 'i.summary', 'i.outcome'])
    .where('ip.workspace_id', '=', workspaceId)
    .where('ip.person_id', '=', personId)
    .where('i.deleted_at', 'is', null)
    .where('i.type', '<>', 'note')
    .orderBy('ip.occurred_at', 'desc')
    .orderBy('i.id', 'desc');
  if (limit) query = query.limit(limit);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    channel: row.channel,
    direction: row.direction,
    occurredAt: row.occurred_at.toISOString(),
    summary: row.summary,
    outcome: row.outcome,
  }));
}

export function myItemRows(db: Queryable, workspaceId: string, personId: string, limit?: number) {
  let query = db
    .selectFrom('items')
    .select([
      'id',
      'ref',
      'kind',
      'channel',
      'subject',
      'body',
      'status',
      'created_at',
      'resolved_at',
      'resolution',
      'rating',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('person_id', '=', personId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc');
  if (limit) query = query.limit(limit);
  return query.execute();
}

export function toMyItem(row: Awaited<ReturnType<typeof myItemRows>>[number]): MyItem {
  return {
    id: row.id,
    ref: row.ref,
    kind: row.kind,
    channel: row.channel,
    subject: row.subject,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    resolvedAt: iso(row.resolved_at),
    resolution: row.resolution,
  };
}

/** The customer's view of their record; all lists are empty when they have no record yet. */
export async function loadMyData(
  db: Queryable,
  customer: CustomerAuth,
  limit: number | undefined = meListLimit,
): Promise<MyData & { personId: string | null; itemRows: Awaited<ReturnType<typeof myItemRows>> }> {
  const row = await findMyPersonRow(db, customer);
  if (!row) {
    return {
      email: customer.email,
      person: null,
      organization: null,
      interactions: [],
      items: [],
      terms: defaultTermsRecord,
      consents: [],
      surveyAnswers: [],
      personId: null,
      itemRows: [],
    };
  }
  const workspaceId = customer.workspaceId;
  const [organization, interactions, itemRows, consents] = await Promise.all([
    organizationName(db, workspaceId, row.organization_id),
    myInteractions(db, workspaceId, row.id, limit),
    myItemRows(db, workspaceId, row.id, limit),
    termsHistory(db, workspaceId, row.id),
  ]);
  return {
    email: customer.email,
    person: contactOf(personOutput(row)),
    organization,
    interactions,
    items: itemRows.map(toMyItem),
    terms: consents[0] ?? defaultTermsRecord,
    consents,
    surveyAnswers: [],
    personId: row.id,
    itemRows,
  };
}
