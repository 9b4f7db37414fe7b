// Measures the full import path on embedded PGlite: node --import tsx tests/api/import-bench.script.ts [rows]

import { runImport, storeFile } from '../../src/features/imports/job.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { newId } from '../../src/platform/ids.ts';

const rows = Number(process.argv[2] ?? 10000);
const database = await openDatabase({ kind: 'pglite' });
await migrate(database.db);
const db = database.db;
if (process.env.NO_DUP_TRIGGERS) {
  const { sql } = await import('kysely');
  await sql`alter table people disable trigger people_duplicates_insert`.execute(db);
  await sql`alter table people disable trigger people_duplicates_update`.execute(db);
}
const workspace = { id: newId(), name: 'Bench' };
await db.insertInto('workspaces').values(workspace).execute();
const lines = ['First Name,Last Name,Email,Phone,Company,Tags'];
for (let i = 0; i < rows; i++)
  lines.push(
    `Given${i},Family${i},person${i}@bench.example,+1 415 555 ${String(i % 10000).padStart(4, '0')},Org ${i % 500},tag${i % 7}`,
  );
const content = Buffer.from(`${lines.join('\n')}\n`);
const id = newId();
await db
  .insertInto('imports')
  .values({
    id,
    workspace_id: workspace.id,
    file_name: 'bench.csv',
    format: 'csv',
    status: 'uploading',
    dry_run: false,
    on_match: 'skip',
  })
  .execute();
async function* source() {
  for (let i = 0; i < content.length; i += 65536) yield content.subarray(i, i + 65536);
}
console.log('storing');
const size = await storeFile(db, id, workspace.id, source());
await db.updateTable('imports').set({ status: 'queued', file_size: size }).where('id', '=', id).execute();
console.log('stored', size);
const start = performance.now();
await runImport({ db }, id);
const ms = performance.now() - start;
const report = await db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
console.log(
  JSON.stringify({
    rows,
    ms: Math.round(ms),
    rowsPerSecond: Math.round((rows / ms) * 1000),
    created: report.created,
    failed: report.failed,
    status: report.status,
    message: report.message,
  }),
);
await database.close();
