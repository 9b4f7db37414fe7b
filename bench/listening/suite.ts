/**
 * `npm run bench -- --suite listening [--items N] [--people N] [--seconds S] [--database-url URL]`
 *
 * The listening register's figures: items created per second through POST /api/v1/items, the
 * latency of every queue (first page and a keyset page deep in the queue) and of the list
 * filters, the problem compare panel over the comparable items, and the SLA sweep (every open
 * item due at once, then the incremental sweep a minute later). Figures, not pass/fail.
 */
import { sql } from 'kysely';
import { itemListQuery } from '../../src/features/items/queues.ts';
import { type SweepCounts, sweepSla } from '../../src/features/sla/sweep.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { Database, Db } from '../../src/platform/db/database.ts';
import { itemQueues, listItemsQuery } from '../../src/shared/listening.ts';
import type { ProblemCompare } from '../../src/shared/problems.ts';
import { type LoadFigures, load, rssMb, type Server, startServer, stopServer, waitForOk } from '../http.ts';
import { loadBenchData } from '../load.ts';
import { benchToken } from '../reuse.ts';
import { type ListeningLoad, loadListening } from './load.ts';
import { createBodies, deepCursor, reusedListening } from './scenarios.ts';

type CompareKey = ProblemCompare['keys'][number];

export interface Target {
  env: Record<string, string>;
  url?: string;
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

export interface SuiteOptions {
  prepareTarget(): Promise<Target>;
  setUp(server: Server): Promise<string>;
  kind: 'pglite' | 'postgres';
  reuse: boolean;
  items: number;
  people: number;
  /** Open items made due at once for the catch-up sweep (at most). */
  sweepItems: number;
  /** Events and messages for one item in this many (a faster load of a big register). */
  historyEvery: number;
  seconds: number;
  port: number;
  log(message: string): void;
}

function summary(figures: Record<string, LoadFigures>) {
  const values = Object.values(figures);
  return {
    worstP95Ms: Math.max(...values.map((figure) => figure.latencyMs.p95)),
    failures: values.reduce((sum, figure) => sum + figure.non2xx + figure.errors, 0),
  };
}

async function workspaceAndAdmin(db: Db) {
  return db
    .selectFrom('users')
    .select(['workspace_id', 'id'])
    .where('email', '=', 'bench@example.com')
    .executeTakeFirstOrThrow();
}

/** Each queue's first page and a page half-way down it; the list filters of the issue. */
async function queuePaths(db: Db, admin: { workspace_id: string; id: string }, loaded: ListeningLoad) {
  const base = '/api/v1/items?limit=50';
  const context = { workspaceId: admin.workspace_id, userId: admin.id, now: new Date(), warnMinutes: 60 };
  const queues: Record<string, string[]> = {};
  const rows: Record<string, number> = {};
  for (const queue of itemQueues) {
    const filters = listItemsQuery.parse({ queue, limit: 50 });
    const query = itemListQuery(db, context, filters, null);
    const counted = await db
      .selectFrom(query.clearLimit().clearOrderBy().as('q'))
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    rows[queue] = counted.n;
    queues[`${queue}.first`] = [`${base}&queue=${queue}`];
    const after = await deepCursor(query, Math.floor(counted.n / 2));
    if (after) queues[`${queue}.deep`] = [`${base}&queue=${queue}&after=${after}`];
  }
  const filters: Record<string, string[]> = {
    kind: ['complaint', 'suggestion', 'praise'].map((kind) => `${base}&kind=${kind}`),
    status: ['new', 'in_progress', 'closed'].map((status) => `${base}&status=${status}`),
    ownerId: loaded.ownerIds.slice(0, 20).map((id) => `${base}&ownerId=${id}`),
    personId: loaded.personIds.slice(0, 100).map((id) => `${base}&personId=${id}`),
    escalationLevel: ['lead', 'manager', 'executive'].map((level) => `${base}&escalationLevel=${level}`),
    breachedTrue: [`${base}&breached=true`],
    breachedFalse: [`${base}&breached=false`],
    problemId: [`${base}&problemId=${loaded.problemId}`],
  };
  return { queues, filters, rows };
}

/** The sweep with every open item due (a catch-up after downtime), then one minute later. */
async function sweepFigures(
  database: Database,
  workspaceId: string,
  limit: number,
  log: (message: string) => void,
) {
  const deps = { database, db: database.db, config: loadConfig({ ...process.env, DATABASE_URL: '' }) };
  const now = new Date();
  const due = await sql`update items set sla_next_check_at = ${now} where id in (
    select id from items where workspace_id = ${workspaceId} and status not in ('resolved', 'closed')
    order by id desc limit ${limit})`.execute(database.db);
  log(`sweep: ${due.numAffectedRows} open items due`);
  const catchUp: SweepCounts = await sweepSla(deps, { now });
  log(`sweep: catch-up ${catchUp.checked} items in ${catchUp.ms} ms`);
  const next = await sweepSla(deps, { now: new Date(now.getTime() + 60_000) });
  const pending = await sql<{ n: number; nextCheck: Date | null }>`
    select count(*)::int as n, min(sla_next_check_at) as "nextCheck" from items
    where workspace_id = ${workspaceId} and sla_next_check_at is not null`.execute(database.db);
  return {
    note: 'catchUp: open items (up to --sweep-items) due at once, the worst case after downtime; nextMinute: the sweep one minute later',
    openItemsDue: Number(due.numAffectedRows ?? 0),
    catchUp: { ...catchUp, itemsPerSecond: Math.round(catchUp.checked / Math.max(0.001, catchUp.ms / 1000)) },
    nextMinute: next,
    itemsWithNextCheck: pending.rows[0]!.n,
  };
}

export async function runListeningSuite(options: SuiteOptions) {
  const { log, port, seconds } = options;
  const target = await options.prepareTarget();
  let running: Server | null = null;
  try {
    let server = startServer(target.env, port);
    running = server;
    await waitForOk(server);
    const token = options.reuse ? await benchToken(server.base) : await options.setUp(server);
    await stopServer(server);

    const database = await target.open();
    const admin = await workspaceAndAdmin(database.db);
    let people = 0;
    let loaded = options.reuse ? await reusedListening(database.db, admin.workspace_id) : null;
    if (!loaded) {
      log(`loading ${options.people} people into ${options.kind}`);
      people = (
        await loadBenchData(database, target.url, {
          workspaceId: admin.workspace_id,
          people: options.people,
          log,
        })
      ).people;
      log(`loading ${options.items} items`);
      loaded = await loadListening(database, target.url, {
        workspaceId: admin.workspace_id,
        adminId: admin.id,
        items: options.items,
        historyEvery: options.historyEvery,
        log,
      });
    }
    const paths = await queuePaths(database.db, admin, loaded);
    await database.close();

    server = startServer(target.env, port);
    running = server;
    const coldStartMs = Math.round(await waitForOk(server));
    const auth = { authorization: `Bearer ${token}` };
    const run = async (name: string, list: string[]) =>
      load(server, { name, paths: list, headers: auth, connections: 1, seconds });
    const queues: Record<string, LoadFigures> = {};
    for (const [name, list] of Object.entries(paths.queues)) {
      log(`queue ${name}`);
      queues[name] = await run(name, list);
    }
    const filters: Record<string, LoadFigures> = {};
    for (const [name, list] of Object.entries(paths.filters)) {
      log(`filter ${name}`);
      filters[name] = await run(name, list);
    }
    log('problem compare');
    const compare = {
      car: await compareFigures(server, auth, loaded.problemId),
      billing: await compareFigures(server, auth, loaded.billingProblemId),
    };
    // LISTENING_BENCH_READ_ONLY=1: no creates and no sweep, for a kept register others measure too.
    const readOnly = process.env.LISTENING_BENCH_READ_ONLY === '1';
    log(readOnly ? 'create item: skipped (read-only)' : 'create item');
    const create = readOnly
      ? null
      : await load(server, {
          name: 'create item',
          paths: ['/api/v1/items'],
          method: 'POST',
          bodies: createBodies(loaded),
          headers: auth,
          connections: 16,
          seconds,
        });
    const rssAfterLoadMb = rssMb(server.child.pid!);
    await stopServer(server);
    running = null;

    let sweep = null;
    if (!readOnly) {
      log('SLA sweep');
      const sweepDatabase = await target.open();
      sweep = await sweepFigures(sweepDatabase, admin.workspace_id, options.sweepItems, log);
      await sweepDatabase.close();
    }

    console.log(
      JSON.stringify(
        {
          suite: 'listening',
          database: options.kind,
          node: process.version,
          dataset: {
            people,
            items: loaded.items,
            openItems: loaded.openItems,
            events: loaded.events,
            messages: loaded.messages,
            observations: loaded.observations,
            historyForOneItemIn: options.reuse ? null : options.historyEvery,
            loadSeconds: loaded.seconds,
            loadRowsPerSecond: loadRate(loaded),
          },
          queueRows: paths.rows,
          coldStartMs,
          rssAfterLoadMb,
          secondsPerScenario: seconds,
          note: 'queues, filters and compare with 1 connection (latency of one request); create with 16.',
          create,
          queues: { ...summary(queues), pages: queues },
          filters: { ...summary(filters), pages: filters },
          compare,
          sweep,
        },
        null,
        2,
      ),
    );
  } finally {
    if (running) await stopServer(running);
    await target.cleanup();
  }
}

/** Sequential requests (at least two, up to five within 20 s): the compare can take seconds. */
async function compareFigures(server: Server, headers: Record<string, string>, problemId: string) {
  const path = `/api/v1/problems/${problemId}/compare`;
  const samples: number[] = [];
  let body: ProblemCompare | null = null;
  const started = performance.now();
  while (samples.length < 5 && (samples.length < 2 || performance.now() - started < 20_000)) {
    const sent = performance.now();
    const response = await fetch(`${server.base}${path}`, { headers });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    body = (await response.json()) as ProblemCompare;
    samples.push(Math.round(performance.now() - sent));
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    linkedItems: body!.linkedItems,
    comparableItems: body!.comparableItems,
    comparableScope: body!.comparableScope,
    keys: body!.keys.slice(0, 3).map((key: CompareKey) => ({
      key: key.key,
      separation: Math.round(key.separation * 100) / 100,
      top: key.values[0] && {
        value: key.values[0].value,
        linkedShare: Math.round(key.values[0].linkedShare * 100) / 100,
        othersShare: Math.round(key.values[0].othersShare * 100) / 100,
      },
    })),
    sequentialMs: samples,
    medianMs: sorted[Math.floor(sorted.length / 2)],
  };
}

function loadRate(loaded: ListeningLoad) {
  const rows = loaded.items + loaded.events + loaded.messages + loaded.observations;
  return loaded.seconds.generateAndInsert ? Math.round(rows / loaded.seconds.generateAndInsert) : null;
}
