/**
 * `npm run bench -- --suite metrics [--items N] [--people N] [--history-every N] [--database-url URL]
 *   [--keep | --reuse (--database-url URL-of-the-kept-database | --data-dir DIR)]`
 *
 * Goals and KPIs: the listening register is loaded as for `--suite listening` (a year of items
 * with their events), then every metric of the catalogue is asked for over the last year by week
 * through the API (three times; the median is reported), without a filter and with each of three
 * typical filters (kind=complaint, channel=email, a team), and a dashboard of eight metrics alone
 * (eight requests at once) and with its comparison period (sixteen). Figures, not pass/fail.
 */
import { metricCatalogue } from '../../src/features/metrics/catalogue.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { type Server, startServer, stopServer, waitForOk } from '../http.ts';
import { loadListening } from '../listening/load.ts';
import type { SuiteOptions } from '../listening/suite.ts';
import { loadBenchData } from '../load.ts';
import { benchToken } from '../reuse.ts';

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

const spread = (values: number[]) => ({
  min: Math.min(...values),
  median: median(values),
  max: Math.max(...values),
});

export async function runMetricsSuite(options: SuiteOptions) {
  const { log, port } = options;
  const target = await options.prepareTarget();
  let running: Server | null = null;
  try {
    let server = startServer(target.env, port);
    running = server;
    await waitForOk(server);
    const token = options.reuse ? await benchToken(server.base) : await options.setUp(server);
    await stopServer(server);

    const database = await target.open();
    const admin = await database.db
      .selectFrom('users')
      .select(['workspace_id', 'id'])
      .where('email', '=', 'bench@example.com')
      .executeTakeFirstOrThrow();
    if (!options.reuse) {
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
    }
    const size = await counts(database.db, admin.workspace_id);
    const team = await database.db
      .selectFrom('teams')
      .select('id')
      .where('workspace_id', '=', admin.workspace_id)
      .orderBy('name')
      .executeTakeFirstOrThrow();
    await database.close();

    server = startServer(target.env, port);
    running = server;
    // The first start after an upgrade also migrates (e.g. backfills the metric facts).
    const startMs = Math.round(await waitForOk(server, 1_800_000));
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
    const year = (name: string, filter = '', range = { from, to }) =>
      `/api/v1/metrics/${name}?from=${range.from}&to=${range.to}&interval=week${filter}`;
    const filters: Record<string, string> = {
      none: '',
      complaints: '&kind=complaint',
      email: '&channel=email',
      team: `&teamId=${team.id}`,
    };
    const perMetricMs: Record<string, Record<string, number>> = {};
    // The warm-up request of each metric: on a fresh database it builds the day rollups (cold).
    const firstMs: Record<string, Record<string, number>> = {};
    // BENCH_METRIC_FILTERS=none,email narrows the passes (a 1M-item run of all four is long).
    const passes = (process.env.BENCH_METRIC_FILTERS ?? Object.keys(filters).join(',')).split(',');
    for (const [filterName, filter] of Object.entries(filters).filter(([name]) => passes.includes(name))) {
      perMetricMs[filterName] = {};
      firstMs[filterName] = {};
      for (const metric of metricCatalogue) {
        log(`metric ${metric.name} (${filterName})`);
        firstMs[filterName]![metric.name] = Math.round(await timed(server, token, year(metric.name, filter)));
        const runs = [];
        for (let run = 0; run < 3; run++) runs.push(await timed(server, token, year(metric.name, filter)));
        perMetricMs[filterName]![metric.name] = Math.round(median(runs));
      }
    }
    log('dashboard');
    const previous = {
      from: new Date(Date.now() - 729 * 86_400_000).toISOString().slice(0, 10),
      to: new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10),
    };
    const dashboardMs = async (withComparison: boolean) => {
      const runs: number[] = [];
      for (let run = 0; run < 3; run++) {
        const started = performance.now();
        await Promise.all(
          dashboard.flatMap((name) => [
            timed(server, token, year(name)),
            ...(withComparison ? [timed(server, token, year(name, '', previous))] : []),
          ]),
        );
        runs.push(performance.now() - started);
      }
      return Math.round(median(runs));
    };
    const dashboardAloneMs = await dashboardMs(false);
    const dashboardWithComparisonMs = await dashboardMs(true);
    console.log(
      JSON.stringify(
        {
          suite: 'metrics',
          database: options.kind,
          node: process.version,
          ...size,
          startMs,
          note: 'each metric: the last 52 weeks by week through the API, median of 3 after a warm-up (firstMetricMs: the warm-up itself, which builds missing day rollups); dashboard: 8 metrics at once, and with their previous year (16 requests at once)',
          firstMetricMs: Object.fromEntries(
            Object.entries(firstMs).map(([filter, figures]) => [filter, spread(Object.values(figures))]),
          ),
          metricMs: Object.fromEntries(
            Object.entries(perMetricMs).map(([filter, figures]) => [filter, spread(Object.values(figures))]),
          ),
          dashboardAloneMs,
          dashboardWithComparisonMs,
          perMetricMs,
          firstMs,
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
