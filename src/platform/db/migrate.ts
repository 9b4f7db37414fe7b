import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { migrationsDir } from '../paths.ts';
import type { Db } from './database.ts';

const migrationLockId = 727_001; // arbitrary constant shared by every node

interface MigrationFile {
  version: string;
  /** The file name without .sql, e.g. 0013_portal. */
  file: string;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = migrationsDir): MigrationFile[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(`${dir}/${file}`, 'utf8');
      return {
        // Up to 0013 the number alone is the version (as recorded by databases that applied them);
        // from 0014 on it is the whole file name, so two changes made in parallel may share a number.
        version: file.slice(0, 4) < '0014' ? file.slice(0, 4) : file.slice(0, -4),
        name: file.slice(5, -4),
        file: file.slice(0, -4),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock so
 * that nodes starting together never apply one twice. Refuses to run when a landed migration
 * was edited afterwards.
 */
export async function migrate(db: Db, dir = migrationsDir): Promise<string[]> {
  const files = readMigrations(dir);
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${migrationLockId})`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (
        version text primary key, name text not null, checksum text not null,
        applied_at timestamptz not null default now())`.execute(conn);
      const applied = await conn.selectFrom('schema_migrations').selectAll().execute();
      const byVersion = new Map(applied.map((row) => [row.version, row]));
      const done: string[] = [];
      for (const file of files) {
        const previous = byVersion.get(file.version);
        if (previous) {
          if (previous.checksum !== file.checksum) {
            throw new Error(
              `Migration ${file.file}.sql was edited after it was applied. ` +
                'Landed migrations must never change: add a new numbered migration instead.',
            );
          }
          continue;
        }
        await conn.transaction().execute(async (tx) => {
          await sql.raw(file.sql).execute(tx);
          await tx
            .insertInto('schema_migrations')
            .values({ version: file.version, name: file.name, checksum: file.checksum })
            .execute();
        });
        done.push(file.file);
      }
      return done;
    } finally {
      await sql`select pg_advisory_unlock(${migrationLockId})`.execute(conn);
    }
  });
}

/** Names of migration files not yet applied (for /api/ready). */
export async function pendingMigrations(db: Db, dir = migrationsDir): Promise<string[]> {
  const applied = await db
    .selectFrom('schema_migrations')
    .select('version')
    .execute()
    .catch(() => []);
  const versions = new Set(applied.map((row) => row.version));
  return readMigrations(dir)
    .filter((file) => !versions.has(file.version))
    .map((file) => file.file);
}
