/**
 * Create throughput only: `node --import tsx bench/create.ts [--database-url URL] [--people N]
 *   [--seconds S] [--connections C] [--profile DIR] [--only person|item]`
 *
 * Starts Rapport on a fresh database (embedded PGlite in a temporary directory, or a new database
 * on the server of --database-url), loads N generated people (default 20,000), then measures
 * POST /api/v1/people and POST /api/v1/items over HTTP with C connections (default 16), with the
 * same bodies as the people and listening suites. --profile writes a V8 CPU profile of the server.
 * Prints JSON figures. The full suites (bench/run.ts) measure the same routes on bigger tables.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../src/platform/db/database.ts';
import { BenchGenerator } from './generate.ts';
import {
  api,
  type LoadFigures,
  load,
  type Server,
  setUp,
  startServer,
  stopServer,
  waitForOk,
} from './http.ts';
import { createBodies } from './listening/scenarios.ts';
import { loadBenchData } from './load.ts';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    people: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    profile: { type: 'string' },
    only: { type: 'string' },
  },
});
const serverUrl = args['database-url'];
if (args.only && !['person', 'item'].includes(args.only)) throw new Error('--only takes person or item');
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const port = 3900 + Math.floor(Math.random() * 90);
const log = (message: string) =>
  console.error(`[bench-create ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** startServer with a V8 CPU profile (--cpu-prof is refused in NODE_OPTIONS). */
function profiledServer(env: Record<string, string>, dir: string): Server {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, join(root, 'bin/rapport.mjs'), 'serve', '--no-build'],
    {
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return { child, base: `http://127.0.0.1:${port}` };
}

/** CPU seconds the process has used (user + system), from /proc: figures that mean something on a busy machine. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The load figures plus the server's CPU time and creates per CPU second of the server. */
async function measured(server: Server, run: () => Promise<LoadFigures>) {
  const before = cpuSeconds(server.child.pid!);
  const figures = await run();
  const serverCpuSeconds = Math.round((cpuSeconds(server.child.pid!) - before) * 100) / 100;
  const ok = figures.requests - figures.non2xx;
  return { ...figures, serverCpuSeconds, perServerCpuSecond: Math.round(ok / serverCpuSeconds) };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'rapport-create-'));
  let env: Record<string, string> = { RAPPORT_DATA_DIR: dataDir, DATABASE_URL: '' };
  let url: string | undefined;
  let admin: pg.Client | null = null;
  const name = `rapport_create_${process.pid}`;
  if (serverUrl) {
    admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const parsed = new URL(serverUrl);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    env = { RAPPORT_DATA_DIR: dataDir, DATABASE_URL: url };
  }
  const open = () =>
    url
      ? openDatabase({ kind: 'postgres', url, poolSize: 4 })
      : openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'db') });
  try {
    let server = startServer(env, port);
    await waitForOk(server);
    const token = await setUp(server);
    const category = await api<{ id: string }>(server, token, '/api/v1/item-categories', {
      method: 'POST',
      body: JSON.stringify({
        name: "Car won't start",
        observationTemplate: [
          { key: 'flavour', label: 'Flavour', type: 'choice', choices: ['vanilla', 'chocolate', 'mint'] },
          { key: 'minutes_parked', label: 'Minutes parked', type: 'number' },
          { key: 'time_of_day', label: 'Time of day', type: 'text' },
        ],
      }),
    });
    await stopServer(server);

    const peopleCount = Number(args.people);
    log(`loading ${peopleCount} people`);
    const database = await open();
    const workspace = await database.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
    const loaded = await loadBenchData(database, url, { workspaceId: workspace.id, people: peopleCount });
    const personIds = (
      await database.db.selectFrom('people').select('id').orderBy('id').limit(2000).execute()
    ).map((row) => row.id);
    await database.close();

    server = args.profile ? profiledServer(env, args.profile) : startServer(env, port);
    await waitForOk(server);
    const headers = { authorization: `Bearer ${token}` };

    const generator = new BenchGenerator(7);
    const personBodies = Array.from({ length: 5000 }, () =>
      JSON.stringify(generator.person(loaded.organizationSample, loaded.ownerIds).input),
    );
    const itemBodies = createBodies({ personIds, carCategoryId: category.id });
    const common = { method: 'POST' as const, headers, connections, seconds };
    log('warm-up');
    await load(server, {
      ...common,
      name: 'warm-up',
      paths: ['/api/v1/people'],
      bodies: personBodies,
      seconds: 1,
    });
    const wanted = (suite: string) => !args.only || args.only === suite;
    if (wanted('person')) log('create person');
    const person = !wanted('person')
      ? null
      : await measured(server, () =>
          load(server, {
            ...common,
            name: 'create person',
            paths: ['/api/v1/people'],
            bodies: personBodies,
          }),
        );
    if (wanted('item')) log('create item');
    const item = !wanted('item')
      ? null
      : await measured(server, () =>
          load(server, { ...common, name: 'create item', paths: ['/api/v1/items'], bodies: itemBodies }),
        );
    await stopServer(server);
    console.log(
      JSON.stringify(
        { database: url ? 'postgres' : 'pglite', people: peopleCount, connections, person, item },
        null,
        2,
      ),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    if (admin) {
      await admin.query(`drop database if exists ${name}`);
      await admin.end();
    }
  }
}

await main();
