/**
 * What the metric facts triggers (migrations/0019_metric_facts.sql) add to item writes:
 *   node --import tsx bench/metrics/write-cost.ts (--database-url URL | --data-dir DIR) [--rows N]
 *     [--triggers facts|queue]
 * `--triggers queue` turns off only the day rollups' dirty-queue triggers on the facts
 * (migrations/0020_metric_day_rollup.sql), the facts triggers staying on.
 * On a loaded database (e.g. one kept by `--suite metrics --keep`), times single-row item inserts,
 * updates of a column the facts follow (resolve) and status-only updates, with the triggers on and
 * off, alternating rounds; everything runs in transactions that are rolled back. Figures, not
 * pass/fail: microseconds per write, median of the rounds.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { type Database, openDatabase } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
    rows: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '4' },
    triggers: { type: 'string', default: 'facts' },
  },
});
const rows = Number(args.rows);
const database: Database = args['database-url']
  ? await openDatabase({ kind: 'postgres', url: args['database-url'], poolSize: 1 })
  : await openDatabase({ kind: 'pglite', dataDir: join(args['data-dir']!, 'db') });
const db = database.db;
const workspace = await sql<{ id: string }>`select workspace_id as id from items limit 1`.execute(db);
const workspaceId = workspace.rows[0]!.id;
const measured =
  args.triggers === 'queue'
    ? {
        table: 'metric_item_facts',
        triggers: [
          'metric_facts_day_dirty_insert',
          'metric_facts_day_dirty_update',
          'metric_facts_day_dirty_delete',
        ],
      }
    : {
        table: 'items',
        triggers: ['items_metric_facts_insert', 'items_metric_facts_update', 'items_metric_facts_delete'],
      };

class Rollback extends Error {}

async function round(withTriggers: boolean) {
  const timings = { insert: 0, resolve: 0, status: 0 };
  await db
    .transaction()
    .execute(async (tx) => {
      if (!withTriggers)
        for (const trigger of measured.triggers)
          await sql`alter table ${sql.ref(measured.table)} disable trigger ${sql.ref(trigger)}`.execute(tx);
      const ids: string[] = [];
      let started = performance.now();
      for (let n = 0; n < rows; n++) {
        const id = newId();
        ids.push(id);
        await sql`insert into items (id, workspace_id, kind, channel, priority, subject, body, reply_token, tags)
          values (${id}, ${workspaceId}, 'complaint', 'email', 'normal', 'Write cost', 'A body of some length.',
            ${id.replaceAll('-', '')}, '{}')`.execute(tx);
      }
      timings.insert = ((performance.now() - started) * 1000) / rows;
      started = performance.now();
      for (const id of ids)
        await sql`update items set status = 'resolved', resolved_at = now(), staff_reply_count = 1 where id = ${id}`.execute(
          tx,
        );
      timings.resolve = ((performance.now() - started) * 1000) / rows;
      started = performance.now();
      for (const id of ids)
        await sql`update items set status = 'closed', updated_at = now() where id = ${id}`.execute(tx);
      timings.status = ((performance.now() - started) * 1000) / rows;
      throw new Rollback();
    })
    .catch((error) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return timings;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const on: Awaited<ReturnType<typeof round>>[] = [];
const off: Awaited<ReturnType<typeof round>>[] = [];
await round(true); // warm-up
for (let n = 0; n < Number(args.rounds); n++) {
  off.push(await round(false));
  on.push(await round(true));
}
const summary = (runs: typeof on) => ({
  insertMicros: Math.round(median(runs.map((run) => run.insert))),
  resolveMicros: Math.round(median(runs.map((run) => run.resolve))),
  statusOnlyMicros: Math.round(median(runs.map((run) => run.status))),
});
console.log(
  JSON.stringify(
    {
      database: args['database-url'] ? 'postgres' : 'pglite',
      rowsPerRound: rows,
      rounds: Number(args.rounds),
      note: 'microseconds per single-row write inside a transaction, median of the rounds; rolled back',
      triggers: measured.triggers,
      without: summary(off),
      with: summary(on),
    },
    null,
    2,
  ),
);
await database.close();
