// Export throughput in-process (no HTTP), former (`rows`) and current (`text`) reading, back to back:
// node --import tsx bench/export-profile.script.ts <database-url of a kept bench database | embedded:N> [formats] [sources]
// `embedded:N` loads N generated people into a fresh in-memory embedded database first.
// STAGE=customer exports only that stage (a list filter); COLUMNS=a,b chooses the CSV columns;
// READERS=2 reads two pages at once (as the server does on PostgreSQL; default 1); HASH=1 prints
// the output's SHA-1 (to compare readings).

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { type ExportSource, exportPeople } from '../src/features/exports/people.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { newId } from '../src/platform/ids.ts';
import { loadBenchData } from './load.ts';

/** CPU milliseconds used so far by a process (user + system), from /proc. */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** CPU milliseconds of every PostgreSQL process of the machine (the server and its backends). */
function postgresCpuMs(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') total += processCpuMs(Number(pid));
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}

const url = process.argv[2];
const readers = Number(process.env.READERS ?? 1);
const formats = (process.argv[3] ?? 'csv,json,vcard').split(',') as ('csv' | 'json' | 'vcard')[];
const sources = (process.argv[4] ?? 'rows,text').split(',') as ExportSource[];
const embedded = url?.startsWith('embedded:') ? Number(url.slice('embedded:'.length)) : null;
const database = await openDatabase(
  embedded === null ? { kind: 'postgres', url: url!, poolSize: readers + 1 } : { kind: 'pglite' },
);
const db = database.db;
if (embedded !== null) {
  await migrate(db);
  const workspaceId = newId();
  await db.insertInto('workspaces').values({ id: workspaceId, name: 'Bench' }).execute();
  await db
    .insertInto('users')
    .values({
      id: newId(),
      workspace_id: workspaceId,
      email: 'bench@example.com',
      name: 'Bench',
      role: 'admin',
      status: 'active',
      password_hash: null,
    })
    .execute();
  await loadBenchData(database, undefined, { workspaceId, people: embedded });
}
const workspace = await db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
const auth = { workspaceId: workspace.id } as Parameters<typeof exportPeople>[1];
const ctx = { deps: { db }, auth } as unknown as Parameters<typeof exportPeople>[0];
for (const format of formats)
  for (const source of sources) {
    const began = performance.now();
    const cpu = process.cpuUsage();
    const serverBefore = embedded === null ? postgresCpuMs() : 0;
    let bytes = 0;
    let pieces = 0;
    const hash = process.env.HASH === '1' ? createHash('sha1') : null;
    for await (const piece of exportPeople(
      ctx,
      auth,
      {
        format,
        sort: 'name',
        ...(process.env.STAGE ? { stage: process.env.STAGE.split(',') } : {}),
      } as Parameters<typeof exportPeople>[2],
      (process.env.COLUMNS?.split(',') ?? null) as never,
      { source, readers },
    )) {
      bytes += piece.length;
      pieces++;
      hash?.update(piece);
    }
    const ms = performance.now() - began;
    const used = process.cpuUsage(cpu);
    const serverCpuMs = embedded === null ? Math.round(postgresCpuMs() - serverBefore) : null;
    console.log(
      JSON.stringify({
        format,
        source,
        readers,
        ms: Math.round(ms),
        nodeCpuMs: Math.round((used.user + used.system) / 1000),
        serverCpuMs,
        pieces,
        chars: bytes,
        ...(hash ? { sha1: hash.digest('hex') } : {}),
      }),
    );
  }
await database.close();
