// In-process create throughput on embedded PGlite (Fastify inject, no sockets), concurrency 1 vs 16:
//   node --import tsx bench/create-inprocess.script.ts [creates=800]
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { buildServer } from '../src/platform/http/server.ts';
import { createUser, createWorkspace, signIn } from '../tests/support/factories.ts';
import { Client } from '../tests/support/test-app.ts';

const creates = Number(process.argv[2] ?? 800);
const database = await openDatabase({ kind: 'pglite' });
await migrate(database.db);
const config = loadConfig({ RAPPORT_DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent' });
const app = await buildServer({ database, db: database.db, config }, { logger: false, serveWeb: false });
await app.ready();
const workspace = await createWorkspace(database.db, 'Bench');
const user = await createUser(database.db, workspace.id, { role: 'admin' });
const admin = { client: new Client(app) };
await signIn(admin.client, user.email);
const person = await admin.client.post('/api/v1/people', {
  givenName: 'P',
  emails: [{ value: 'p@example.com' }],
});
const bodies = {
  people: (i: number) => ({
    givenName: `G${i}`,
    familyName: 'F',
    emails: [{ value: `g${i}@example.com` }],
    phones: [{ value: `+44 20 7946 ${String(i % 10000).padStart(4, '0')}` }],
  }),
  items: (i: number) => ({ kind: 'complaint', subject: `S${i}`, personId: person.body.id }),
};
for (const route of ['people', 'items'] as const) {
  for (const concurrency of [1, 16]) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let i = 0; i < creates; i += concurrency) {
      const responses = await Promise.all(
        Array.from({ length: concurrency }, (_, j) =>
          admin.client.post(`/api/v1/${route}`, bodies[route](i + j)),
        ),
      );
      for (const response of responses)
        if (response.status !== 201) throw new Error(JSON.stringify(response.body));
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    console.log(
      JSON.stringify({
        route,
        concurrency,
        creates,
        perSecond: Math.round(creates / seconds),
        perCpuSecond: Math.round(creates / cpuSeconds),
      }),
    );
  }
}
await app.close();
await database.close();
