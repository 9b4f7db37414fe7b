/**
 * What a metric read costs right after writes (the rollup days they touched are rebuilt):
 *   node --import tsx bench/metrics/write-then-read.ts --database-url URL [--writes N] [--metrics a,b]
 * In a transaction that is rolled back: reads each metric (warm), resolves N open items created on
 * N different days of the past year (or, with --recent D, of the last D days: the usual case),
 * then reads each metric again. Figures only.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { metricCatalogue } from '../../src/features/metrics/catalogue.ts';
import { runMetric } from '../../src/features/metrics/run.ts';
import { openDatabase } from '../../src/platform/db/database.ts';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    writes: { type: 'string', default: '5' },
    recent: { type: 'string' },
    metrics: {
      type: 'string',
      default: 'first_contact_resolution,resolution_median_minutes,backlog_open,total_service_cost',
    },
  },
});
const database = await openDatabase({ kind: 'postgres', url: args['database-url']!, poolSize: 1 });
const { db } = database;
const workspace = await db.selectFrom('items').select('workspace_id').limit(1).executeTakeFirstOrThrow();
const to = new Date().toISOString().slice(0, 10);
const from = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
const definitions = args.metrics
  .split(',')
  .map((name) => metricCatalogue.find((metric) => metric.name === name)!);
class Rollback extends Error {}
await db
  .transaction()
  .execute(async (tx) => {
    const read = async () => {
      const times: Record<string, number> = {};
      for (const definition of definitions) {
        const started = performance.now();
        await runMetric(tx, workspace.workspace_id, definition, { from, to, interval: 'week' });
        times[definition.name] = Math.round(performance.now() - started);
      }
      return times;
    };
    const warm = await read();
    // Open items created on different days spread over the year (one a day, days at random).
    const picked = await sql<{ id: string }>`
      select id from (
        select distinct on ((created_at at time zone 'UTC')::date) id from items
        where workspace_id = ${workspace.workspace_id} and resolved_at is null and closed_at is null
          and ${args.recent ? sql`created_at > now() - make_interval(days => ${Number(args.recent)})` : sql`created_at < now() - interval '30 days'`}
        order by (created_at at time zone 'UTC')::date, id
      ) d order by md5(id::text) limit ${Number(args.writes)}`.execute(tx);
    await sql`update items set status = 'resolved', resolved_at = now(), staff_reply_count = staff_reply_count + 1
      where id = any(${picked.rows.map((row) => row.id)}::uuid[])`.execute(tx);
    const afterWrites = await read();
    console.log(JSON.stringify({ writes: picked.rows.length, warm, afterWrites }));
    throw new Rollback();
  })
  .catch((error) => {
    if (!(error instanceof Rollback)) throw error;
  });
await database.close();
