/**
 * How long a cold day-rollup build takes for some metrics (no rollup of that zone yet):
 *   node --import tsx bench/metrics/build-cost.ts --database-url URL [--days N] [--metrics a,b] [--zone Z]
 * Builds in a transaction that is rolled back (the kept database is left as it was). Figures only.
 */
import { parseArgs } from 'node:util';
import { metricCatalogue } from '../../src/features/metrics/catalogue.ts';
import { metricContext, runComputation } from '../../src/features/metrics/run.ts';
import { openDatabase } from '../../src/platform/db/database.ts';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    days: { type: 'string', default: '30' },
    metrics: {
      type: 'string',
      default: 'first_response_median_minutes,first_contact_resolution,backlog_open',
    },
    zone: { type: 'string', default: 'Asia/Tokyo' },
  },
});
const database = await openDatabase({ kind: 'postgres', url: args['database-url']!, poolSize: 1 });
const { db } = database;
const workspace = await db.selectFrom('items').select('workspace_id').limit(1).executeTakeFirstOrThrow();
const to = new Date().toISOString().slice(0, 10);
const from = new Date(Date.now() - (Number(args.days) - 1) * 86_400_000).toISOString().slice(0, 10);
class Rollback extends Error {}
for (const name of args.metrics.split(',')) {
  const definition = metricCatalogue.find((metric) => metric.name === name)!;
  await db
    .transaction()
    .execute(async (tx) => {
      const context = await metricContext(
        tx,
        workspace.workspace_id,
        { from, to, interval: 'week' },
        { timeZone: args.zone },
      );
      const started = performance.now();
      await runComputation(definition, { ...context, source: 'rollup', metricName: name });
      const cold = performance.now() - started;
      const again = performance.now();
      await runComputation(definition, { ...context, source: 'rollup', metricName: name });
      console.log(
        JSON.stringify({
          metric: name,
          days: Number(args.days),
          coldMs: Math.round(cold),
          warmMs: Math.round(performance.now() - again),
        }),
      );
      throw new Rollback();
    })
    .catch((error) => {
      if (!(error instanceof Rollback)) throw error;
    });
}
await database.close();
