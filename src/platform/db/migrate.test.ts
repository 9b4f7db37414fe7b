import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestDatabase } from '../../../tests/support/test-database.ts';
import { migrationsDir } from '../paths.ts';
import type { Database } from './database.ts';
import { migrate, pendingMigrations } from './migrate.ts';

let database: Database;
let dir: string;
beforeAll(async () => {
  database = await openTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'rapport-migrations-'));
  cpSync(migrationsDir, dir, { recursive: true });
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

it('applies a new migration once even when two runs start together', async () => {
  writeFileSync(join(dir, '9999_test_extra.sql'), 'create table migration_probe (id int primary key);');
  expect(await pendingMigrations(database.db, dir)).toEqual(['9999_test_extra']);
  const [first, second] = await Promise.all([migrate(database.db, dir), migrate(database.db, dir)]);
  expect([...first, ...second]).toEqual(['9999_test_extra']);
  const applied = await database.db.selectFrom('schema_migrations').select('version').execute();
  expect(applied.filter((row) => row.version === '9999_test_extra')).toHaveLength(1);
  await sql`insert into migration_probe values (1)`.execute(database.db);
  expect(await pendingMigrations(database.db, dir)).toEqual([]);
});

it('refuses to run when a landed migration was edited', async () => {
  writeFileSync(join(dir, '9999_test_extra.sql'), 'create table migration_probe (id bigint primary key);');
  await expect(migrate(database.db, dir)).rejects.toThrow(
    /9999_test_extra\.sql was edited after it was applied/,
  );
});

it('rolls back a failing migration completely', async () => {
  writeFileSync(
    join(dir, '9998_broken.sql'),
    'create table half_done (id int); select * from no_such_table;',
  );
  await expect(migrate(database.db, dir)).rejects.toThrow(/no_such_table/);
  const exists = await sql<{ name: string | null }>`select to_regclass('half_done')::text as name`.execute(
    database.db,
  );
  expect(exists.rows[0]?.name).toBeNull();
});
