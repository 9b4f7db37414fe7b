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
    `Given${i},Family${i},person${i}@bench.example,${i < 10000 ? `+1 415 555 ${String(i).padStart(4, '0')}` : ''},Org ${i % 500},tag${i % 7}`,
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
const { exportPeople } = await import('../../src/features/exports/people.ts');
const user = {
  id: newId(),
  workspace_id: workspace.id,
  email: 'bench@example.com',
  name: 'Bench',
  role: 'admin' as const,
  status: 'active' as const,
  password_hash: null,
};
await db.insertInto('users').values(user).execute();
const auth = {
  userId: user.id,
  workspaceId: workspace.id,
  role: 'admin' as const,
  via: 'token' as const,
  sessionId: null,
  tokenId: null,
  csrfToken: null,
};
const ctx = { deps: { db }, auth } as unknown as Parameters<typeof exportPeople>[0];
for (const format of ['csv', 'vcard', 'json'] as const) {
  const began = performance.now();
  let bytes = 0;
  for await (const piece of exportPeople(
    ctx,
    auth,
    { format, sort: 'name' } as Parameters<typeof exportPeople>[2],
    null,
  ))
    bytes += piece.length;
  const took = performance.now() - began;
  console.log(
    JSON.stringify({
      export: format,
      rows: report.created,
      ms: Math.round(took),
      rowsPerSecond: Math.round((report.created / took) * 1000),
      bytes,
    }),
  );
}
await database.close();
