import type { Db } from '../../../src/platform/db/database.ts';
import { newId } from '../../../src/platform/ids.ts';
import type { ItemKind, ItemStatus } from '../../../src/shared/listening.ts';
import type { Client } from '../../support/test-app.ts';

export interface PlantedItem {
  kind?: ItemKind;
  status?: ItemStatus;
  subject?: string;
  personId?: string | null;
  reporterName?: string | null;
  reporterEmail?: string | null;
  categoryId?: string | null;
  problemId?: string | null;
}

/**
 * Items written straight to the database, so that these tests do not depend on the item
 * creation route: what they check is observations, merges, votes and problems.
 */
export async function plantItems(db: Db, workspaceId: string, items: PlantedItem[]) {
  const rows = items.map((item, index) => ({
    id: newId(),
    workspace_id: workspaceId,
    kind: item.kind ?? 'complaint',
    channel: 'email' as const,
    subject: item.subject ?? `Item ${index + 1}`,
    person_id: item.personId ?? null,
    reporter_name: item.reporterName ?? null,
    reporter_email: item.reporterEmail ?? null,
    category_id: item.categoryId ?? null,
    problem_id: item.problemId ?? null,
    status: item.status ?? 'new',
    reply_token: newId().replaceAll('-', ''),
  }));
  const inserted = await db.insertInto('items').values(rows).returning(['id', 'ref']).execute();
  return inserted.map((row) => ({ id: row.id, ref: Number(row.ref) }));
}

export async function plantItem(db: Db, workspaceId: string, item: PlantedItem = {}) {
  const [planted] = await plantItems(db, workspaceId, [item]);
  return planted!;
}

/** A person made through the API (the people feature derives names and keys). */
export async function createPerson(client: Client, name: string, email: string | null) {
  const [givenName, familyName] = name.split(' ');
  const response = await client.post('/api/v1/people', {
    givenName,
    ...(familyName ? { familyName } : {}),
    ...(email ? { emails: [{ value: email, primary: true }] } : {}),
  });
  if (response.status !== 201) throw new Error(`person not created: ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

export async function eventsOf(db: Db, itemId: string) {
  return db
    .selectFrom('item_events')
    .select(['type', 'actor_id', 'data'])
    .where('item_id', '=', itemId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
