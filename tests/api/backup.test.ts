import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, seedDemo } from '../../src/cli/seed.ts';
import { RestoreError, restoreBackup, writeBackup } from '../../src/platform/db/backup.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { drainJobs } from '../../src/platform/jobs/worker.ts';
import { signIn } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { openTestDatabase } from '../support/test-database.ts';

let t: TestApp;
let dir: string;
const opened: Database[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rapport-backup-test-'));
  t = await createTestApp();
  // Fill every kind of table through the API: workspace, users, sessions, invites, tokens, audit, outbox, jobs.
  const admin = t.client();
  const setup = await admin.post('/api/v1/setup', {
    workspaceName: 'Backed Up',
    name: 'Bo Admin',
    email: 'bo@example.com',
    password: 'a backup password',
  });
  expect(setup.status).toBe(201);
  for (const [i, name] of ['Zoë Ünicode', 'O\'Brien "quoted"', 'Line\nbreak'].entries()) {
    const invited = await admin.post('/api/v1/users', { email: `u${i}@example.com`, name, role: 'agent' });
    expect(invited.status).toBe(201);
  }
  await admin.post('/api/v1/tokens', { name: 'backup token' }, { 'idempotency-key': 'backup-1' });
  await drainJobs(t.deps);
  await admin.post('/api/v1/auth/login', { email: 'bo@example.com', password: 'wrong password!' });
});
afterAll(async () => {
  for (const database of opened) await database.close();
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

async function freshDatabase() {
  const database = await openTestDatabase();
  opened.push(database);
  return database;
}

/** The lines of a backup file without the header (which carries the time it was made). */
function tableLines(file: string): string[] {
  return gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n').slice(1);
}

describe('backup and restore', () => {
  it('restores into an empty database and a second backup is identical', async () => {
    const first = join(dir, 'first.jsonl.gz');
    const written = await writeBackup(t.database.db, first);
    expect(written.rows).toBeGreaterThan(10);
    const header = JSON.parse(gunzipSync(readFileSync(first)).toString('utf8').split('\n')[0]!);
    expect(header).toMatchObject({
      format: 'rapport-backup',
      version: 1,
      migrations: expect.arrayContaining(['0001']),
    });
    const tables = new Set(tableLines(first).map((line) => JSON.parse(line).table));
    for (const table of [
      'workspaces',
      'users',
      'sessions',
      'api_tokens',
      'invites',
      'audit_log',
      'outbox',
      'jobs',
    ]) {
      expect(tables, table).toContain(table);
    }

    const target = await freshDatabase();
    const restored = await restoreBackup(target.db, first);
    expect(restored.rows).toBe(written.rows);
    const second = join(dir, 'second.jsonl.gz');
    await writeBackup(target.db, second);
    expect(tableLines(second)).toEqual(tableLines(first));
  });

  it('gives a working copy: the admin can sign in to the restored database', async () => {
    const file = join(dir, 'working.jsonl.gz');
    await writeBackup(t.database.db, file);
    const copy = await createTestApp();
    try {
      await restoreBackup(copy.database.db, file);
      const client = copy.client();
      await signIn(client, 'bo@example.com', 'a backup password');
      const users = await client.get('/api/v1/users');
      expect(users.body.data.map((user: { name: string }) => user.name)).toEqual(
        expect.arrayContaining(['Zoë Ünicode', 'O\'Brien "quoted"', 'Line\nbreak', 'Bo Admin']),
      );
    } finally {
      await copy.close();
    }
  });

  it('refuses a database that has data unless forced, then replaces its data', async () => {
    const file = join(dir, 'force.jsonl.gz');
    await writeBackup(t.database.db, file);
    const target = await freshDatabase();
    await target.db
      .insertInto('workspaces')
      .values({ id: '0190a6c4-5b1e-7000-8000-000000000001', name: 'In the way' })
      .execute();

    const refused = restoreBackup(target.db, file);
    await expect(refused).rejects.toBeInstanceOf(RestoreError);
    await expect(refused).rejects.toThrow(/already has data.*--force/);
    const untouched = await target.db.selectFrom('workspaces').select('name').execute();
    expect(untouched).toEqual([{ name: 'In the way' }]);

    await restoreBackup(target.db, file, { force: true });
    const names = await target.db.selectFrom('workspaces').select('name').execute();
    expect(names).toEqual([{ name: 'Backed Up' }]);
    const again = join(dir, 'force-again.jsonl.gz');
    await writeBackup(target.db, again);
    expect(tableLines(again)).toEqual(tableLines(file));
  });

  it('restores the demo workspace (generated and identity columns, derived counts) to a working copy', async () => {
    const source = await createTestApp();
    const copy = await createTestApp();
    try {
      await seedDemo(source.database.db);
      const file = join(dir, 'demo.jsonl.gz');
      const written = await writeBackup(source.database.db, file);
      const restored = await restoreBackup(copy.database.db, file);
      expect(restored.rows).toBe(written.rows);
      const again = join(dir, 'demo-again.jsonl.gz');
      await writeBackup(copy.database.db, again);
      expect(tableLines(again)).toEqual(tableLines(file));

      // Counts kept by triggers were restored as they were, not counted a second time.
      const scopes = await sql<{ counted: number; actual: number }>`
        select coalesce((select sum(items) from item_scope_counts), 0)::int + coalesce((select sum(delta) from item_scope_count_deltas), 0)::int as counted,
          (select count(*) from items)::int as actual`.execute(copy.database.db);
      expect(scopes.rows[0]!.actual).toBeGreaterThan(100);
      expect(scopes.rows[0]!.counted).toBe(scopes.rows[0]!.actual);
      const facts = await sql<{ n: number }>`select count(*)::int as n from metric_item_facts`.execute(
        copy.database.db,
      );
      expect(facts.rows[0]!.n).toBe(scopes.rows[0]!.actual);
      // Generated columns were computed again: the notes' full-text search finds what the source finds.
      const notes = await sql<{ n: number }>`
        select count(*)::int as n from people where notes_search @@ to_tsquery('simple', 'email')`.execute(
        copy.database.db,
      );
      expect(notes.rows[0]!.n).toBeGreaterThan(0);

      // Identity sequences moved past the restored rows: new items get new refs.
      const admin = copy.client();
      await signIn(admin, 'admin@demo.rapport.test', demoPassword);
      const before = await sql<{ ref: string }>`select max(ref)::text as ref from items`.execute(
        copy.database.db,
      );
      const item = await admin.post('/api/v1/items', {
        kind: 'praise',
        channel: 'phone',
        subject: 'Restored and still working',
        reporterName: 'Restore Test',
      });
      expect(item.status, JSON.stringify(item.body)).toBe(201);
      expect(BigInt(item.body.ref)).toBeGreaterThan(BigInt(before.rows[0]!.ref));
      const person = await admin.post('/api/v1/people', { givenName: 'After', familyName: 'Restore' });
      expect(person.status).toBe(201);
    } finally {
      await source.close();
      await copy.close();
    }
  }, 180_000);

  it('explains what is wrong with a file that is not a backup', async () => {
    const target = await freshDatabase();
    const cases: [string, Buffer][] = [
      ['garbage.bin', Buffer.from('this is not gzip at all')],
      ['not-json.gz', gzipSync('hello\nworld\n')],
      ['other-json.gz', gzipSync('{"format":"something-else"}\n')],
      ['empty.gz', gzipSync('')],
    ];
    for (const [name, content] of cases) {
      const file = join(dir, name);
      writeFileSync(file, content);
      const attempt = restoreBackup(target.db, file);
      await expect(attempt, name).rejects.toBeInstanceOf(RestoreError);
      await expect(attempt, name).rejects.toThrow('is not a Rapport backup');
    }
    await expect(restoreBackup(target.db, join(dir, 'missing.gz'))).rejects.toThrow(/missing\.gz/);
    expect(await target.db.selectFrom('workspaces').select('id').execute()).toEqual([]);
  });

  it('refuses a backup made at other migrations, and rolls back a backup that breaks halfway', async () => {
    const file = join(dir, 'source.jsonl.gz');
    await writeBackup(t.database.db, file);
    const [headerLine, ...rest] = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n');
    const header = JSON.parse(headerLine!);
    const target = await freshDatabase();

    const future = join(dir, 'future.jsonl.gz');
    writeFileSync(
      future,
      gzipSync([JSON.stringify({ ...header, migrations: ['0001', '9999'] }), ...rest].join('\n')),
    );
    await expect(restoreBackup(target.db, future)).rejects.toThrow(/migrations 0001,9999/);

    const broken = join(dir, 'broken.jsonl.gz');
    writeFileSync(broken, gzipSync([headerLine, rest[0], '{"table":"no_such_table","rows":[]}'].join('\n')));
    await expect(restoreBackup(target.db, broken)).rejects.toThrow('unknown table "no_such_table"');
    const damaged = join(dir, 'damaged.jsonl.gz');
    writeFileSync(damaged, gzipSync([headerLine, rest[0], '{"table":"users","rows":[{"id"'].join('\n')));
    await expect(restoreBackup(target.db, damaged)).rejects.toThrow('is damaged');
    expect(await target.db.selectFrom('workspaces').select('id').execute()).toEqual([]);
  });
});
