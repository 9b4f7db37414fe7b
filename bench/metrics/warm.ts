/**
 * What the drain job's warm-up costs (src/features/metrics/dirty-job.ts `warmRollups`):
 *   node --import tsx bench/metrics/warm.ts (--database-url URL | --data-dir DIR) [--cold]
 * --cold first drops every built rollup day (a first build over the register). Prints the time
 * of the warm-up, then of a second one (nothing left to build). Figures only.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { warmRollups } from '../../src/features/metrics/dirty-job.ts';
import { openDatabase } from '../../src/platform/db/database.ts';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
    cold: { type: 'boolean', default: false },
  },
});
const database = args['database-url']
  ? await openDatabase({ kind: 'postgres', url: args['database-url'], poolSize: 2 })
  : await openDatabase({ kind: 'pglite', dataDir: join(args['data-dir']!, 'db') });
if (args.cold) {
  await sql`truncate metric_day_built, metric_day_rollup, metric_day_cost`.execute(database.db);
}
const timed = async () => {
  const started = performance.now();
  const failed = await warmRollups(database.db, Number.POSITIVE_INFINITY);
  if (failed.length > 0) throw new Error(failed.join('\n'));
  return Math.round(performance.now() - started);
};
const firstMs = await timed();
const againMs = await timed();
console.log(JSON.stringify({ cold: args.cold, firstMs, againMs }));
await database.close();
