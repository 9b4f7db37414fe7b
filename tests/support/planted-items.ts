import type { Insertable } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../../src/platform/db/database.ts';
import type { Tables } from '../../src/platform/db/tables.ts';
import { newId } from '../../src/platform/ids.ts';
import { createTestApp, type TestApp } from './test-app.ts';

/**
 * For property tests that plant rows straight into the tables: one test app (its own database)
 * for the file, and each run gets its own workspace. Returns a getter of the database.
 */
export function testDatabaseForFile(): () => Db {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  return () => t.database.db;
}

/** A fresh workspace: the rows of one property run are apart from the others. */
export async function plantWorkspace(db: Db, name = 'Planted'): Promise<string> {
  const id = newId();
  await db.insertInto('workspaces').values({ id, name }).execute();
  return id;
}

export type PlantedItem = Partial<Omit<Insertable<Tables['items']>, 'workspace_id'>>;

/**
 * Items of a workspace in one insert, with what every item needs (a complaint by email named
 * "Item n", its own reply token) unless given. Returns their ids, in order.
 */
export async function plantItems(db: Db, workspaceId: string, items: PlantedItem[]): Promise<string[]> {
  if (items.length === 0) return [];
  const rows = items.map((item, n) => ({
    id: newId(),
    kind: 'complaint' as const,
    channel: 'email' as const,
    subject: `Item ${n}`,
    reply_token: newId(),
    ...item,
    workspace_id: workspaceId,
  }));
  await db.insertInto('items').values(rows).execute();
  return rows.map((row) => row.id);
}
