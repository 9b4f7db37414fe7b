import { sql } from 'kysely';
import type { Queryable } from '../../../platform/db/database.ts';
import type { IntentChannel, IntentStatus } from '../../../shared/portal.ts';
import type { IntentMessage } from '../../../shared/portal-intents.ts';

/** The primary email of people row p, else its first. */
export const primaryEmailOf = sql<string | null>`(select e->>'value' from jsonb_array_elements(p.emails) e
  order by (e->>'primary')::boolean is true desc limit 1)`;

/** Intents with their person's name and the size of their conversation. */
export function selectIntents(db: Queryable, workspaceId: string) {
  return db
    .selectFrom('intents as i')
    .innerJoin('people as p', (join) =>
      join.onRef('p.id', '=', 'i.person_id').onRef('p.workspace_id', '=', 'i.workspace_id'),
    )
    .select([
      'i.id',
      'i.person_id',
      'p.display_name as person_name',
      'i.what',
      'i.budget_min',
      'i.budget_max',
      'i.currency',
      sql<string | null>`to_char(i.wanted_by, 'YYYY-MM-DD')`.as('wanted_by'),
      'i.channel',
      'i.status',
      'i.created_at',
      'i.updated_at',
      sql<number>`(select count(*)::int from intent_responses r where r.intent_id = i.id)`.as(
        'messages_count',
      ),
    ])
    .where('i.workspace_id', '=', workspaceId);
}

export interface IntentRow {
  id: string;
  person_id: string;
  person_name: string;
  what: string;
  budget_min: string | null;
  budget_max: string | null;
  currency: string | null;
  wanted_by: string | null;
  channel: IntentChannel;
  status: IntentStatus;
  created_at: Date;
  updated_at: Date;
  messages_count: number;
}

const iso = (value: Date | string) => new Date(value).toISOString();
const money = (value: string | null) => (value === null ? null : Number(value));

export function intentFields(row: IntentRow) {
  return {
    id: row.id,
    what: row.what,
    budgetMin: money(row.budget_min),
    budgetMax: money(row.budget_max),
    currency: row.currency,
    wantedBy: row.wanted_by,
    channel: row.channel,
    status: row.status,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** The conversations of some intents, oldest message first, keyed by intent id. */
export async function loadMessages(
  db: Queryable,
  workspaceId: string,
  intentIds: string[],
): Promise<Map<string, IntentMessage[]>> {
  const byIntent = new Map<string, IntentMessage[]>(intentIds.map((id) => [id, []]));
  if (intentIds.length === 0) return byIntent;
  const rows = await db
    .selectFrom('intent_responses as r')
    .leftJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.id', 'r.intent_id', 'r.person_id', 'r.body', 'r.created_at', 'u.name as user_name'])
    .where('r.workspace_id', '=', workspaceId)
    .where('r.intent_id', 'in', intentIds)
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  for (const row of rows) {
    byIntent.get(row.intent_id)?.push({
      id: row.id,
      from: row.person_id ? 'customer' : 'staff',
      authorName: row.person_id ? null : (row.user_name ?? 'Staff'),
      body: row.body,
      createdAt: iso(row.created_at),
    });
  }
  return byIntent;
}
