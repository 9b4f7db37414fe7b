/**
 * An export reads pages in transactions of their own, several at once on PostgreSQL: people
 * added while it runs must not make it lose or repeat anyone who was there all along.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPeople } from '../../src/features/exports/people.ts';
import type { Person } from '../../src/shared/people.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  for (let index = 0; index < 12; index++) {
    const created = await admin.client.post('/api/v1/people', {
      givenName: `Person ${String(index).padStart(2, '0')}`,
    });
    expect(created.status).toBe(201);
  }
});
afterAll(() => t.close());

/** The JSON export read page by page; `between` runs after each page the export gave. */
async function exportWhile(readers: number, between: (page: number) => Promise<void>): Promise<Person[]> {
  const auth = { workspaceId: admin.workspaceId } as Parameters<typeof exportPeople>[1];
  const ctx = { deps: { db: t.database.db }, auth } as unknown as Parameters<typeof exportPeople>[0];
  let text = '';
  let page = 0;
  for await (const piece of exportPeople(ctx, auth, { format: 'json', sort: 'name' } as never, null, {
    pageSize: 3,
    readers,
  })) {
    text += piece;
    await between(page++);
  }
  return JSON.parse(text) as Person[];
}

describe('export while people are added', () => {
  for (const readers of [1, 2, 3])
    it(`keeps everyone once and in order, ${readers} reader(s)`, async () => {
      // Everyone there before this export (earlier tests added people too).
      const before = (await exportWhile(1, async () => {})).map((person) => person.id);
      const added: string[] = [];
      const people = await exportWhile(readers, async (page) => {
        // Added after the pages read so far, and before them: at the end and at the start of the list.
        for (const name of [`Zed ${readers}-${page}`, `Aaron ${readers}-${page}`]) {
          const created = await admin.client.post('/api/v1/people', { givenName: name });
          expect(created.status).toBe(201);
          added.push(created.body.id);
        }
      });
      const ids = people.map((person) => person.id);
      expect(new Set(ids).size, 'nobody twice').toBe(ids.length);
      for (const id of before) expect(ids, 'everyone who was there').toContain(id);
      // Whoever else came was added meanwhile.
      for (const id of ids) if (!before.includes(id)) expect(added).toContain(id);
      const now = (await exportWhile(1, async () => {})).map((person) => person.id);
      expect(ids, 'in the order of the list').toEqual(now.filter((id) => ids.includes(id)));
      // People added at the end while pages were still to come were read.
      expect(people.some((person) => person.displayName.startsWith('Zed'))).toBe(true);
    });
});
