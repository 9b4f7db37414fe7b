// Items figures on embedded PGlite, in process (Fastify inject, no sockets):
//   node --import tsx tests/api/items-bench.script.ts [plantedItems=200000] [creates=2000]
// Prints create throughput through the API and p50/p95 of every queue over the planted items.
import { CompiledQuery, sql } from 'kysely';
import { itemListQuery } from '../../src/features/items/queues.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { buildServer } from '../../src/platform/http/server.ts';
import { itemQueues, listItemsQuery } from '../../src/shared/listening.ts';
import { createUser, createWorkspace, signIn } from '../support/factories.ts';
import { Client } from '../support/test-app.ts';

const planted = Number(process.argv[2] ?? 200_000);
const creates = Number(process.argv[3] ?? 2000);
const database = await openDatabase({ kind: 'pglite' });
await migrate(database.db);
const db = database.db;
const config = loadConfig({ RAPPORT_DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent' });
const app = await buildServer({ database, db, config }, { logger: false, serveWeb: false });
await app.ready();
const workspace = await createWorkspace(db, 'Bench');
const agent = await createUser(db, workspace.id, { role: 'agent' });
const colleague = await createUser(db, workspace.id, { role: 'agent' });
const client = new Client(app);
await signIn(client, agent.email);
const log = (message: string) =>
  console.error(`[items-bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

// Create throughput: a third with a known reporter (matched), a third unknown (person created).
const started = performance.now();
for (let i = 0; i < creates; i++) {
  const body: Record<string, unknown> = {
    kind: 'complaint',
    subject: `Bench ${i}`,
    acknowledge: i % 3 === 0,
  };
  if (i % 3 === 1) body.reporterEmail = `known${i % 50}@bench.example`;
  if (i % 3 === 2) body.reporterEmail = `new${i}@bench.example`;
  const response = await client.post('/api/v1/items', body);
  if (response.status !== 201) throw new Error(JSON.stringify(response.body));
}
const createPerSecond = Math.round(creates / ((performance.now() - started) / 1000));
log(`${creates} creates: ${createPerSecond}/s`);

// Planted items: mostly closed history, some open work in every queue.
log(`planting ${planted} items`);
for (let from = 0; from < planted; from += 50_000) {
  const to = Math.min(planted, from + 50_000) - 1;
  await sql`insert into items (id, workspace_id, kind, channel, subject, status, owner_id, escalation_level,
      first_response_due_at, resolution_due_at, first_response_breached_at, closed_at, reply_token, created_at, updated_at)
    select gen_random_uuid(), ${workspace.id}, 'complaint', 'email', 'Planted ' || g,
      case when g % 10 < 7 then 'closed' when g % 10 = 7 then 'waiting_on_customer' else 'in_progress' end,
      case when g % 4 = 0 then null when g % 4 = 1 then ${agent.id}::uuid else ${colleague.id}::uuid end,
      case when g % 97 = 0 then 'lead' else 'agent' end,
      now() + ((g % 5000) || ' minutes')::interval, now() + ((g % 20000) || ' minutes')::interval,
      case when g % 53 = 0 then now() else null end,
      case when g % 10 < 7 then now() - ((g % 30) || ' days')::interval end,
      md5(g::text || random()::text), now(), now()
    from generate_series(${from}::int, ${to}::int) g`.execute(db);
}
await sql`analyze items`.execute(db);

const results: Record<string, { p50: number; p95: number }> = {};
for (const queue of itemQueues) {
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    const response = await client.get(`/api/v1/items?queue=${queue}&limit=50`);
    if (response.status !== 200) throw new Error(JSON.stringify(response.body));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  results[queue] = { p50: Math.round(times[20]!), p95: Math.round(times[37]!) };
}
console.log(JSON.stringify({ planted, createPerSecond, queues: results }, null, 2));
if (process.env.EXPLAIN) {
  for (const queue of itemQueues) {
    const compiled = itemListQuery(
      db,
      { workspaceId: workspace.id, userId: agent.id, now: new Date(), warnMinutes: 60 },
      listItemsQuery.parse({ queue }),
      null,
    ).compile();
    const plan = await db.executeQuery<{ 'QUERY PLAN': string }>(
      CompiledQuery.raw(`explain analyze ${compiled.sql}`, [...compiled.parameters]),
    );
    console.log(`${queue}:\n${plan.rows.map((row) => row['QUERY PLAN']).join('\n')}`);
  }
}
await app.close();
await database.close();
