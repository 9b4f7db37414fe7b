import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { sql } from 'kysely';
import type { Db, Queryable } from './database.ts';

const format = 'rapport-backup';
const batchSize = 500;

/** Tables of the public schema, parents before children (by foreign keys). */
export async function tablesInDependencyOrder(db: Queryable): Promise<string[]> {
  const tables = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'schema_migrations'
    order by c.relname`.execute(db);
  const edges = await sql<{ child: string; parent: string }>`
    select c.relname as child, p.relname as parent from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and n.nspname = 'public' and c.relname <> p.relname`.execute(db);
  const remaining = new Set(tables.rows.map((row) => row.name));
  const ordered: string[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].filter(
      (table) => !edges.rows.some((edge) => edge.child === table && remaining.has(edge.parent)),
    );
    if (ready.length === 0) throw new Error(`Foreign keys form a cycle among: ${[...remaining].join(', ')}`);
    for (const table of ready) {
      ordered.push(table);
      remaining.delete(table);
    }
  }
  return ordered;
}

async function primaryKeyOrder(db: Queryable, table: string): Promise<string> {
  const result = await sql<{ column: string }>`
    select a.attname as column from pg_index i
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = ${table}::regclass and i.indisprimary order by a.attnum`.execute(db);
  return result.rows.map((row) => `"${row.column}"`).join(', ') || 'ctid';
}

async function appliedMigrations(db: Queryable): Promise<string[]> {
  const rows = await db.selectFrom('schema_migrations').select('version').orderBy('version').execute();
  return rows.map((row) => row.version);
}

/**
 * Writes every row of every table as gzip'd JSON lines. Rows are exported with `to_jsonb`, so
 * restoring with `jsonb_populate_recordset` gives back identical values on PGlite and PostgreSQL.
 */
export async function writeBackup(db: Db, file: string): Promise<{ tables: number; rows: number }> {
  const gzip = createGzip();
  const output = gzip.pipe(createWriteStream(file));
  const write = async (line: unknown) => {
    if (!gzip.write(`${JSON.stringify(line)}\n`)) await once(gzip, 'drain');
  };
  // One snapshot for every table, so a backup taken while the server writes is still consistent.
  const { tables, total } = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      const tables = await tablesInDependencyOrder(tx);
      await write({
        format,
        version: 1,
        createdAt: new Date().toISOString(),
        migrations: await appliedMigrations(tx),
      });
      let total = 0;
      for (const table of tables) {
        const order = await primaryKeyOrder(tx, table);
        for (let offset = 0; ; offset += batchSize) {
          const result = await sql<{ row: Record<string, unknown> }>`
            select to_jsonb(t) as row from ${sql.table(table)} t order by ${sql.raw(order)}
            limit ${batchSize} offset ${offset}`.execute(tx);
          if (result.rows.length === 0) break;
          await write({ table, rows: result.rows.map((r) => r.row) });
          total += result.rows.length;
          if (result.rows.length < batchSize) break;
        }
      }
      return { tables, total };
    });
  gzip.end();
  await once(output, 'finish');
  return { tables: tables.length, rows: total };
}

export class RestoreError extends Error {
  override name = 'CliError';
}

/** A line of the file as JSON, or null when it is not JSON (a damaged or foreign file). */
function parseJson<T>(line: string): T | null {
  try {
    return JSON.parse(line) as T;
  } catch {
    return null;
  }
}

/**
 * Restores a backup in one transaction: all of it or nothing. The target must be migrated to the
 * same migrations as the source, and empty unless `force` (which wipes it first).
 */
export async function restoreBackup(db: Db, file: string, options: { force?: boolean } = {}) {
  const input = createReadStream(file);
  await once(input, 'open').catch((error: Error) => {
    throw new RestoreError(`Cannot read ${file}: ${error.message}`);
  });
  const gunzip = createGunzip();
  input.on('error', (error) => gunzip.destroy(error));
  const lines = createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next().catch(() => ({ done: true, value: undefined }));
  const header = first.done
    ? null
    : parseJson<{ format?: string; migrations?: string[] }>(first.value as string);
  if (header?.format !== format) throw new RestoreError(`${file} is not a Rapport backup.`);
  const migrations = await appliedMigrations(db);
  if (JSON.stringify(header.migrations) !== JSON.stringify(migrations)) {
    throw new RestoreError(
      `The backup was made at migrations ${header.migrations?.join(',')}, this database is at ${migrations.join(',')}. ` +
        'Restore with the Rapport version that made the backup, then upgrade.',
    );
  }
  const tables = await tablesInDependencyOrder(db);
  return db.transaction().execute(async (tx) => {
    const hasData = await tx.selectFrom('workspaces').select('id').limit(1).executeTakeFirst();
    if (hasData && !options.force) {
      throw new RestoreError(
        'This database already has data. Restore into an empty one, or pass --force to wipe it.',
      );
    }
    if (hasData) await sql`truncate ${sql.join(tables.map((t) => sql.table(t)))} cascade`.execute(tx);
    const insertable = await insertableColumns(tx);
    await setUserTriggers(tx, tables, 'disable');
    let rows = 0;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const batch = parseJson<{ table: string; rows: unknown[] }>(next.value);
      if (!batch) throw new RestoreError(`${file} is damaged: a line is not valid JSON.`);
      if (!tables.includes(batch.table))
        throw new RestoreError(`The backup has an unknown table "${batch.table}".`);
      const columns = sql.join(insertable.get(batch.table)!.map((column) => sql.ref(column)));
      await sql`insert into ${sql.table(batch.table)} (${columns}) overriding system value
        select ${columns} from jsonb_populate_recordset(null::${sql.table(batch.table)}, ${JSON.stringify(batch.rows)}::jsonb)`
        .execute(tx)
        .catch((error: Error) => {
          throw new RestoreError(`Could not restore table "${batch.table}": ${error.message}`);
        });
      rows += batch.rows.length;
    }
    await advanceSequences(tx);
    await setUserTriggers(tx, tables, 'enable');
    return { rows };
  });
}

/**
 * Columns a restore writes: generated columns are computed again by the database, so they are left
 * out (writing them is an error); identity columns are written as they were.
 */
async function insertableColumns(db: Queryable): Promise<Map<string, string[]>> {
  const result = await sql<{ table: string; column: string }>`
    select c.relname as table, a.attname as column from pg_attribute a
    join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
      and a.attgenerated = ''
    order by c.relname, a.attnum`.execute(db);
  const columns = new Map<string, string[]>();
  for (const row of result.rows) columns.set(row.table, [...(columns.get(row.table) ?? []), row.column]);
  return columns;
}

/**
 * The backup holds every table, derived ones included (counts and rollups kept by triggers), so the
 * triggers stay off while rows go in: firing them would count every restored row a second time.
 * ALTER TABLE is transactional: a failed restore leaves them on.
 */
async function setUserTriggers(db: Queryable, tables: string[], state: 'enable' | 'disable') {
  for (const table of tables) {
    await sql`alter table ${sql.table(table)} ${sql.raw(state)} trigger user`.execute(db);
  }
}

/** Rows were written with their own ids, so each sequence moves past the highest restored value. */
async function advanceSequences(db: Queryable) {
  const result = await sql<{ table: string; column: string; sequence: string }>`
    select c.relname as table, a.attname as column,
      pg_get_serial_sequence(format('%I', c.relname), a.attname) as sequence
    from pg_attribute a join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
      and pg_get_serial_sequence(format('%I', c.relname), a.attname) is not null`.execute(db);
  for (const row of result.rows) {
    await sql`select setval(${row.sequence}::regclass, coalesce(max(${sql.ref(row.column)}), 0) + 1, false)
      from ${sql.table(row.table)}`.execute(db);
  }
}
