/**
 * `npm run bench [-- --people N] [--database-url URL] [--seconds S] [--import-rows N] [--keep]`
 * `npm run bench -- --reuse --database-url URL-of-the-kept-database | --data-dir DIR`
 * `--only search,list`: run only those scenarios of the people suite (of search, list, create,
 *   bulk, import, export; health and me always run).
 * `--export csv,json,vcard`: the export formats (default csv,json); `--export-encoding gzip,br,identity`:
 *   the Accept-Encoding of each download (default gzip,identity: fetch's own, then none).
 * `npm run bench -- --suite portal`: the customer portal (bundle size, cold load, sign-in links/s).
 * `npm run bench -- --suite metrics [--items N]`: every metric for a year by week, and a dashboard.
 * `npm run bench -- --suite listening [--items N] [--people N]`: the listening register instead
 *   (bench/listening/suite.ts; items 100,000 embedded / 1,000,000 on PostgreSQL by default;
 *   --sweep-items N: open items made due at once for the SLA catch-up sweep, default 100,000;
 *   --history-every N: events and messages for one item in N, a faster load of a big register).
 *
 * Starts Rapport on a fresh database (embedded PGlite in a temporary directory, or a new
 * database on the PostgreSQL server of --database-url / DATABASE_URL), loads generated people,
 * then prints JSON figures: cold start, memory, search and list latency, create throughput,
 * bulk load baselines. Figures, not pass/fail: they are reported in issue notes, never fail CI.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type Database, openDatabase } from '../src/platform/db/database.ts';
import { copyOutRowsPerSecond, copyRowsPerSecond, insertRowsPerSecond } from './copy.ts';
import { BenchGenerator } from './generate.ts';
import {
  api,
  type LoadFigures,
  load,
  rssMb,
  type Server,
  setUp,
  startServer,
  stopServer,
  waitForOk,
} from './http.ts';
import { runListeningSuite, type SuiteOptions } from './listening/suite.ts';
import { loadBenchData, pauseTriggers, resumeTriggers } from './load.ts';
import { runMetricsSuite } from './metrics/suite.ts';
import { runPortalSuite } from './portal/suite.ts';
import { benchToken, sampleFromDatabase } from './reuse.ts';
import { listPaths, searchTerms } from './scenarios.ts';
import { exportFigures, googleCsv, importFigures } from './transfer.ts';

const { values: args } = parseArgs({
  options: {
    people: { type: 'string' },
    'database-url': { type: 'string' },
    seconds: { type: 'string' },
    'import-rows': { type: 'string' },
    export: { type: 'string', default: 'csv,json' },
    'export-encoding': { type: 'string', default: 'gzip,identity' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    suite: { type: 'string', default: 'people' },
    items: { type: 'string' },
    'sweep-items': { type: 'string', default: '100000' },
    'history-every': { type: 'string', default: '1' },
    only: { type: 'string' },
  },
});
const phases = new Set((args.only ?? 'search,list,create,bulk,import,export').split(',').filter(Boolean));
const serverUrl = args['database-url'] ?? process.env.DATABASE_URL;
const kind = serverUrl ? 'postgres' : 'pglite';
const peopleCount = Number(args.people ?? (kind === 'postgres' ? 1_000_000 : 100_000));
const importRows = phases.has('import')
  ? Number(args['import-rows'] ?? (kind === 'postgres' ? 100_000 : 20_000))
  : 0;
const exportFormats = (phases.has('export') ? args.export : '').split(',').filter(Boolean) as (
  | 'csv'
  | 'json'
  | 'vcard'
)[];
/** What each export is downloaded with: fetch's own Accept-Encoding, a browser's preference, none. */
const encodingHeaders = { gzip: 'gzip, deflate', br: 'br, gzip, deflate', identity: 'identity' } as const;
const exportEncodings = args['export-encoding']
  .split(',')
  .filter(Boolean) as (keyof typeof encodingHeaders)[];
for (const encoding of exportEncodings)
  if (!(encoding in encodingHeaders))
    throw new Error(`--export-encoding: ${encoding} is not gzip, br or identity`);
const seconds = Number(args.seconds ?? process.env.BENCH_SECONDS ?? 5);
const port = 3900 + Math.floor(Math.random() * 90);
const log = (message: string) =>
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

interface Target {
  env: Record<string, string>;
  url?: string;
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

async function prepareTarget(): Promise<Target> {
  if (args.reuse) {
    const url = serverUrl;
    const dataDir = args['data-dir'];
    if (!url && !dataDir) throw new Error('--reuse needs --database-url (the kept database) or --data-dir');
    return {
      env: url ? { DATABASE_URL: url } : { RAPPORT_DATA_DIR: dataDir!, DATABASE_URL: '' },
      ...(url ? { url } : {}),
      open: () =>
        url
          ? openDatabase({ kind: 'postgres', url, poolSize: 4 })
          : openDatabase({ kind: 'pglite', dataDir: join(dataDir!, 'db') }),
      cleanup: async () => {},
    };
  }
  if (!serverUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'rapport-bench-'));
    return {
      env: { RAPPORT_DATA_DIR: dataDir, DATABASE_URL: '' },
      open: () => openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'db') }),
      cleanup: async () =>
        args.keep ? log(`kept ${dataDir}`) : rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `rapport_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    url: url.toString(),
    open: () => openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 4 }),
    cleanup: async () => {
      if (args.keep) log(`kept database ${name}`);
      else await admin.query(`drop database if exists ${name}`);
      await admin.end();
    },
  };
}

function summary(figures: Record<string, LoadFigures>) {
  const values = Object.values(figures);
  return {
    worstP95Ms: Math.max(...values.map((figure) => figure.latencyMs.p95)),
    failures: values.reduce((sum, figure) => sum + figure.non2xx + figure.errors, 0),
  };
}

let running: Server | null = null;

async function main() {
  const target = await prepareTarget();
  try {
    let server = startServer(target.env, port);
    running = server;
    await waitForOk(server);
    const token = args.reuse ? await benchToken(server.base) : await setUp(server);
    await stopServer(server);

    log(args.reuse ? `reusing the ${kind} database` : `loading ${peopleCount} people into ${kind}`);
    const database = await target.open();
    const workspace = await database.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
    const loaded = args.reuse
      ? await sampleFromDatabase(database.db, workspace.id)
      : await loadBenchData(database, target.url, {
          workspaceId: workspace.id,
          people: peopleCount,
          log,
        });
    const now = new Date();
    const searchSets = await searchTerms(database.db, loaded);
    const organizationNames = new Map(
      (
        await database.db
          .selectFrom('organizations')
          .select(['id', 'name'])
          .where(
            'id',
            'in',
            loaded.organizationSample.map((org) => org.id),
          )
          .execute()
      ).map((row) => [row.id, row.name]),
    );
    const listSets = await listPaths(database.db, workspace.id, loaded, now);

    log('bulk baselines');
    // A reused database already holds the rows of the fixed seeds.
    const runSeed = args.reuse ? Date.now() % 1_000_000 : 0;
    const extra = new BenchGenerator(99 + runSeed);
    const extraRows = (count: number) =>
      Array.from({ length: count }, () => ({
        ...extra.person(loaded.organizationSample, loaded.ownerIds).row,
        workspace_id: workspace.id,
      }));
    const bulkRows = kind === 'postgres' ? 10_000 : 2000;
    // Raw baselines: the table's indexes are in place, the duplicate-detection triggers paused
    // (a plain COPY of already-normalized rows; create and import below pay for them).
    let bulk = { rows: 0, note: 'skipped (--only)', multiRowInsertRowsPerSecond: 0, copyRowsPerSecond: 0 };
    if (phases.has('bulk')) {
      const paused = await pauseTriggers(database.db);
      bulk = {
        rows: bulkRows,
        note: 'into people with all its indexes; duplicate-detection triggers paused',
        multiRowInsertRowsPerSecond: await insertRowsPerSecond(database, 'people', extraRows(bulkRows)),
        copyRowsPerSecond: await copyRowsPerSecond(database, target.url, 'people', extraRows(bulkRows)),
      };
      await resumeTriggers(database.db, paused);
    }
    await database.close();

    server = startServer(target.env, port);
    running = server;
    const coldStartMs = Math.round(await waitForOk(server));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssAfterStartMb = rssMb(server.child.pid!);
    const auth = { authorization: `Bearer ${token}` };

    log('health and me');
    const baseline = {
      health: await load(server, { name: 'health', paths: ['/api/health'], connections: 10, seconds }),
      me: await load(server, { name: 'me', paths: ['/api/v1/me'], headers: auth, connections: 10, seconds }),
    };
    const search: Record<string, LoadFigures> = {};
    for (const [name, paths] of Object.entries(phases.has('search') ? searchSets : {})) {
      log(`search ${name}`);
      search[name] = await load(server, { name, paths, headers: auth, connections: 1, seconds });
    }
    const list: Record<string, LoadFigures> = {};
    for (const [name, paths] of Object.entries(phases.has('list') ? listSets : {})) {
      log(`list ${name}`);
      list[name] = await load(server, { name, paths, headers: auth, connections: 1, seconds });
    }
    log('create');
    const generator = new BenchGenerator(7 + runSeed);
    const bodies = Array.from({ length: 5000 }, () =>
      JSON.stringify(generator.person(loaded.organizationSample, loaded.ownerIds).input),
    );
    const create = !phases.has('create')
      ? null
      : await load(server, {
          name: 'create person',
          paths: ['/api/v1/people'],
          method: 'POST',
          bodies,
          headers: auth,
          connections: 16,
          seconds,
        });
    log(
      `partial: ${JSON.stringify({ search: summary(search), list: summary(list), create: create?.requestsPerSecond })}`,
    );
    log('import');
    if (importRows === 0) log('import skipped (--import-rows 0)');
    const importPeople = Array.from({ length: importRows }, () =>
      generator.person(loaded.organizationSample, loaded.ownerIds),
    );
    const imported = await importFigures(
      server,
      token,
      googleCsv(importPeople, organizationNames),
      importRows,
    );
    const livePeople =
      loaded.people +
      2 * bulk.rows +
      (create ? create.requests - create.non2xx : 0) +
      (imported?.result.created ?? 0);
    log('export');
    const exported: Record<string, Awaited<ReturnType<typeof exportFigures>>> = {};
    for (const format of exportFormats)
      for (const encoding of exportEncodings)
        exported[`${format} ${encoding}`] = await exportFigures(
          server,
          token,
          format,
          livePeople,
          encodingHeaders[encoding],
        );
    const firstPage = await api<{ data: unknown[] }>(server, token, '/api/v1/people?limit=1');
    const rssAfterLoadMb = rssMb(server.child.pid!);
    await stopServer(server);
    // The export's raw baseline, once the server no longer holds the database (PGlite).
    let rawCopyOut: Awaited<ReturnType<typeof copyOutRowsPerSecond>> | null = null;
    if (exportFormats.length > 0) {
      const reopened = await target.open();
      try {
        rawCopyOut = await copyOutRowsPerSecond(reopened, target.url, workspace.id);
      } finally {
        await reopened.close();
      }
    }

    console.log(
      JSON.stringify(
        {
          database: kind,
          node: process.version,
          dataset: {
            people: loaded.people + 2 * bulk.rows,
            organizations: loaded.organizations,
            interactions: loaded.interactions,
            staff: loaded.ownerIds.length + 1,
            loadSeconds: loaded.seconds,
            loadRowsPerSecond: Math.round(loaded.people / loaded.seconds.generateAndInsert),
          },
          coldStartMs,
          rssAfterStartMb,
          rssAfterLoadMb,
          secondsPerScenario: seconds,
          note: 'search and list run with 1 connection (latency of one request); create with 16.',
          baseline,
          search: { ...summary(search), queries: search },
          list: { ...summary(list), pages: list },
          create,
          bulk,
          import: imported && {
            ...imported,
            note: 'Google Contacts CSV through POST /api/v1/imports until status done; new people (onMatch skip)',
            ratioToCopy: Math.round((imported.rowsPerSecond / bulk.copyRowsPerSecond) * 100) / 100,
            ratioToMultiRowInsert:
              Math.round((imported.rowsPerSecond / bulk.multiRowInsertRowsPerSecond) * 100) / 100,
          },
          export: {
            downloads: exported,
            rawCopyOut,
            ratioToCopy: Object.fromEntries(
              Object.entries(exported).map(([name, figures]) => [
                name,
                rawCopyOut
                  ? Math.round((figures.rowsPerSecond / rawCopyOut.rowsPerSecond) * 100) / 100
                  : null,
              ]),
            ),
          },
          listWorks: firstPage.data.length === 1,
        },
        null,
        2,
      ),
    );
  } finally {
    // A failed run must not leave its server holding the database.
    if (running) await stopServer(running);
    await target.cleanup();
  }
}

const listeningOptions = (): SuiteOptions => ({
  prepareTarget,
  setUp,
  kind,
  reuse: args.reuse,
  items: Number(args.items ?? (kind === 'postgres' ? 1_000_000 : 100_000)),
  people: Number(args.people ?? (kind === 'postgres' ? 100_000 : 10_000)),
  sweepItems: Number(args['sweep-items']),
  historyEvery: Number(args['history-every']),
  seconds,
  port,
  log,
});

if (args.suite === 'metrics') {
  await runMetricsSuite(listeningOptions());
} else if (args.suite === 'listening') {
  await runListeningSuite(listeningOptions());
} else if (args.suite === 'portal') {
  await runPortalSuite({ prepareTarget, setUp, kind, seconds, port, log });
} else {
  await main();
}
