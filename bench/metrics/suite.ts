/**
 * `npm run bench -- --suite metrics [--items N] [--people N] [--database-url URL]`
 *
 * Goals and KPIs: the listening register is loaded as for `--suite listening` (a year of items
 * with their events), then every metric of the catalogue is asked for over the last year by week
 * through the API (three times; the median is reported), and a dashboard of eight metrics with
 * its comparison period (sixteen requests at once). Figures, not pass/fail.
 */
import { metricCatalogue } from '../../src/features/metrics/catalogue.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { type Server, startServer, stopServer, waitForOk } from '../http.ts';
import { loadListening } from '../listening/load.ts';
import type { SuiteOptions } from '../listening/suite.ts';
import { loadBenchData } from '../load.ts';

const dashboard = [
  'first_contact_resolution',
  'loop_closure_rate',
  'first_response_median_minutes',
  'sla_resolution_compliance',
  'escalation_rate',
  'self_service_share',
  'backlog_open',
  'total_service_cost',
];

async function timed(server: Server, token: string, path: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function counts(db: Db, workspaceId: string) {
  const items = await db
    .selectFrom('items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  const events = await db
    .selectFrom('item_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { items: Number(items.n), events: Number(events.n) };
}

export async function runMetricsSuite(options: SuiteOptions) {
  const { log, port } = options;
  const target = await options.prepareTarget();
  let running: Server | null = null;
  try {
    let server = startServer(target.env, port);
    running = server;
    await waitForOk(server);
    const token = await options.setUp(server);
    await stopServer(server);

    const database = await target.open();
    const admin = await database.db
      .selectFrom('users')
      .select(['workspace_id', 'id'])
      .where('email', '=', 'bench@example.com')
      .executeTakeFirstOrThrow();
    log(`loading ${options.people} people`);
    await loadBenchData(database, target.url, {
      workspaceId: admin.workspace_id,
      people: options.people,
      log,
    });
    log(`loading ${options.items} items`);
    await loadListening(database, target.url, {
      workspaceId: admin.workspace_id,
      adminId: admin.id,
      items: options.items,
      historyEvery: options.historyEvery,
      log,
    });
    const size = await counts(database.db, admin.workspace_id);
    await database.close();

    server = startServer(target.env, port);
    running = server;
    await waitForOk(server);
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
    const year = (name: string, range = { from, to }) =>
      `/api/v1/metrics/${name}?from=${range.from}&to=${range.to}&interval=week`;
    const perMetricMs: Record<string, number> = {};
    for (const metric of metricCatalogue) {
      log(`metric ${metric.name}`);
      await timed(server, token, year(metric.name)); // warm-up
      const runs = [];
      for (let run = 0; run < 3; run++) runs.push(await timed(server, token, year(metric.name)));
      perMetricMs[metric.name] = Math.round(median(runs));
    }
    log('dashboard');
    const previous = {
      from: new Date(Date.now() - 729 * 86_400_000).toISOString().slice(0, 10),
      to: new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10),
    };
    const dashboardRuns: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      await Promise.all(
        dashboard.flatMap((name) => [
          timed(server, token, year(name)),
          timed(server, token, year(name, previous)),
        ]),
      );
      dashboardRuns.push(performance.now() - started);
    }
    const values = Object.values(perMetricMs);
    console.log(
      JSON.stringify(
        {
          suite: 'metrics',
          database: options.kind,
          node: process.version,
          ...size,
          note: 'each metric: the last 52 weeks by week through the API, median of 3 after a warm-up; dashboard: 8 metrics and their previous year, 16 requests at once',
          worstMetricMs: Math.max(...values),
          medianMetricMs: median(values),
          perMetricMs,
          dashboardMs: Math.round(median(dashboardRuns)),
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
