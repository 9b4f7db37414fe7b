/**
 * The raw baselines an import is compared with: PostgreSQL `COPY ... FROM STDIN` (through psql)
 * or PGlite's `COPY ... FROM '/dev/blob'`, and multi-row INSERTs, of already-normalized rows,
 * into the loaded table (indexes in place).
 */
import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import type { Database, Queryable } from '../src/platform/db/database.ts';

/** Inserts rows whose keys are column names; JSON-valued columns may hold objects. */
export async function insertRows(db: Queryable, table: string, rows: Record<string, unknown>[]) {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const list = sql.join(columns.map((column) => sql.ref(column)));
  await sql`insert into ${sql.table(table)} (${list})
    select ${list} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)`.execute(
    db,
  );
}

function arrayLiteral(values: unknown[]): string {
  return `{${values.map((value) => `"${String(value).replace(/[\\"]/g, (char) => `\\${char}`)}"`).join(',')}}`;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) text = arrayLiteral(value);
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return `"${text.replace(/"/g, '""')}"`;
}

/** Rows (same keys) as CSV without a header, and the column list. */
export function toCsv(rows: Record<string, unknown>[]): { columns: string[]; csv: string } {
  const columns = Object.keys(rows[0]!);
  // JSON columns that happen to hold string arrays must stay JSON, not become PostgreSQL arrays.
  const json = new Set(['emails', 'phones', 'addresses', 'websites', 'social', 'important_dates']);
  const lines = rows.map((row) =>
    columns
      .map((column) => (json.has(column) ? csvField(JSON.stringify(row[column])) : csvField(row[column])))
      .join(','),
  );
  return { columns, csv: `${lines.join('\n')}\n` };
}

async function psqlCopy(url: string, table: string, columns: string[], csv: string) {
  const child = spawn(
    'psql',
    [
      url,
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `\\copy ${table} (${columns.join(', ')}) from stdin with (format csv)`,
    ],
    {
      stdio: ['pipe', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdin.end(csv);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`psql \\copy failed: ${stderr}`);
}

/** COPY of rows (same keys) into a table: /dev/blob on PGlite, psql's \copy on PostgreSQL (`url`). */
export async function copyRows(
  database: Database,
  url: string | undefined,
  table: string,
  rows: Record<string, unknown>[],
) {
  if (rows.length === 0) return;
  const { columns, csv } = toCsv(rows);
  if (database.pglite) {
    await database.pglite.query(
      `copy ${table} (${columns.join(', ')}) from '/dev/blob' with (format csv)`,
      [],
      {
        blob: new Blob([csv]),
      },
    );
  } else {
    await psqlCopy(url!, table, columns, csv);
  }
}

/** Rows per second of COPY (through psql on PostgreSQL, /dev/blob on PGlite). */
export async function copyRowsPerSecond(
  database: Database,
  url: string | undefined,
  table: string,
  rows: Record<string, unknown>[],
): Promise<number> {
  const started = performance.now();
  await copyRows(database, url, table, rows);
  return Math.round(rows.length / ((performance.now() - started) / 1000));
}

/** Rows per second of multi-row INSERTs of `batchSize` rows. */
export async function insertRowsPerSecond(
  database: Database,
  table: string,
  rows: Record<string, unknown>[],
  batchSize = 2000,
): Promise<number> {
  const started = performance.now();
  for (let index = 0; index < rows.length; index += batchSize) {
    await insertRows(database.db, table, rows.slice(index, index + batchSize));
  }
  return Math.round(rows.length / ((performance.now() - started) / 1000));
}

/**
 * The export's raw baseline: COPY out of the workspace's live people, every column, in the
 * export's default order (name, id): psql's \copy to /dev/null on PostgreSQL, /dev/blob on PGlite.
 */
export async function copyOutRowsPerSecond(
  database: Database,
  url: string | undefined,
  workspaceId: string,
): Promise<{ rows: number; seconds: number; rowsPerSecond: number }> {
  if (!/^[0-9a-f-]{36}$/.test(workspaceId)) throw new Error(`not a workspace id: ${workspaceId}`);
  const query = `select * from people where workspace_id = '${workspaceId}' and deleted_at is null order by sort_name, id`;
  const started = performance.now();
  let rows: number;
  if (database.pglite) {
    const result = await database.pglite.query(`copy (${query}) to '/dev/blob' with (format csv)`);
    rows = result.affectedRows ?? 0;
  } else {
    const child = spawn(
      'psql',
      [url!, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy (${query}) to '/dev/null' with (format csv)`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`psql \\copy failed: ${output}`);
    rows = Number(/COPY (\d+)/.exec(output)?.[1] ?? 0);
  }
  const seconds = (performance.now() - started) / 1000;
  return { rows, seconds: Math.round(seconds * 10) / 10, rowsPerSecond: Math.round(rows / seconds) };
}
