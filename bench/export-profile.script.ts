// Export throughput in-process (no HTTP): node --import tsx bench/export-profile.script.ts <database-url|-> [formats] [sources]

import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { type ExportSource, exportPeople } from '../src/features/exports/people.ts';
import { openDatabase } from '../src/platform/db/database.ts';

/** CPU milliseconds used so far by a process (user + system), from /proc. */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const url = process.argv[2];
const formats = (process.argv[3] ?? 'csv,json,vcard').split(',') as ('csv' | 'json' | 'vcard')[];
const sources = (process.argv[4] ?? 'rows,text').split(',') as ExportSource[];
const database = await openDatabase(
  url && url !== '-'
    ? { kind: 'postgres', url, poolSize: 1 }
    : { kind: 'pglite', dataDir: process.env.DATA_DIR! },
);
const db = database.db;
const workspace = await db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
const backend =
  url && url !== '-'
    ? (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid
    : null;
const auth = { workspaceId: workspace.id } as Parameters<typeof exportPeople>[1];
const ctx = { deps: { db }, auth } as unknown as Parameters<typeof exportPeople>[0];
for (const format of formats)
  for (const source of sources) {
    const began = performance.now();
    const cpu = process.cpuUsage();
    const backendBefore = backend ? processCpuMs(backend) : 0;
    let bytes = 0;
    let pieces = 0;
    for await (const piece of exportPeople(
      ctx,
      auth,
      { format, sort: 'name' } as Parameters<typeof exportPeople>[2],
      (process.env.COLUMNS?.split(',') ?? null) as never,
      ',',
      source,
    )) {
      bytes += piece.length;
      pieces++;
    }
    const ms = performance.now() - began;
    const used = process.cpuUsage(cpu);
    const serverCpuMs = backend ? Math.round(processCpuMs(backend) - backendBefore) : null;
    console.log(
      JSON.stringify({
        format,
        source,
        ms: Math.round(ms),
        nodeCpuMs: Math.round((used.user + used.system) / 1000),
        serverCpuMs,
        pieces,
        chars: bytes,
      }),
    );
  }
await database.close();
