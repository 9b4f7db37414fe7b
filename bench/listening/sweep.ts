/**
 * The SLA sweep's catch-up on a kept PostgreSQL register, alone (the listening suite runs it last):
 *   node --import tsx bench/listening/sweep.ts --database-url URL [--items 100000] [--runs 3]
 *        [--fresh-breaches] [--batch-size N] [--concurrency N]
 *
 * Each run makes up to --items open items due at once (as the suite does: newest open items first)
 * and sweeps them. With --fresh-breaches the chosen items' breach stamps and warnings are cleared
 * first, so the sweep records every breach again (events, audit entries, notifications, emails):
 * the catch-up after a real outage. It prints items/s and where the time went, per statement kind
 * (database round trips, as timed by the client) and the rest (planning in JS).
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { sweepSla } from '../../src/features/sla/sweep.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { Tables } from '../../src/platform/db/tables.ts';
import { flag, option, requiredDatabaseUrl } from '../script-options.ts';

const url = requiredDatabaseUrl();
const items = Number(option('items') ?? 100_000);
const runs = Number(option('runs') ?? 3);
const batchSize = option('batch-size') ? Number(option('batch-size')) : undefined;
const freshBreaches = flag('fresh-breaches');
const concurrency = Number(option('concurrency') ?? 1);

const statementMs = new Map<string, { n: number; ms: number }>();
const statementKind = (text: string) =>
  text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\(\$\d+.*$/, '')
    .slice(0, 48);
const pool = new pg.Pool({ connectionString: url, max: 10 });
const db = new Kysely<Tables>({
  dialect: new PostgresDialect({ pool }),
  log: (event) => {
    const kind = statementKind(event.query.sql);
    const figure = statementMs.get(kind) ?? { n: 0, ms: 0 };
    figure.n += 1;
    figure.ms += event.queryDurationMillis;
    statementMs.set(kind, figure);
  },
});
const database: Database = { db, kind: 'postgres', close: () => db.destroy() };
const deps = { database, db, config: loadConfig({ ...process.env, DATABASE_URL: '' }) };
const { workspace_id: workspaceId } = await db
  .selectFrom('users')
  .select('workspace_id')
  .where('email', '=', 'bench@example.com')
  .executeTakeFirstOrThrow();

for (let run = 1; run <= runs; run += 1) {
  const now = new Date();
  const chosen = sql`select id from items where workspace_id = ${workspaceId}
    and status not in ('resolved', 'closed') order by id desc limit ${items}`;
  const reset = freshBreaches
    ? sql`, first_response_breached_at = null, resolution_breached_at = null, sla_warned_at = null`
    : sql``;
  const due = await sql`update items set sla_next_check_at = ${now} ${reset} where id in (${chosen})`.execute(
    db,
  );
  await sql`vacuum (analyze) items`.execute(db).catch(() => undefined);
  statementMs.clear();
  const counts = await sweepSla(deps, { now, concurrency, ...(batchSize ? { batchSize } : {}) });
  const databaseMs = [...statementMs.values()].reduce((sum, figure) => sum + figure.ms, 0);
  const load = (await import('node:os')).loadavg().map((value) => value.toFixed(1));
  console.log(
    JSON.stringify({
      run,
      due: Number(due.numAffectedRows ?? 0),
      ...counts,
      itemsPerSecond: Math.round(counts.checked / Math.max(0.001, counts.ms / 1000)),
      databaseMs: Math.round(databaseMs),
      otherMs: Math.round(counts.ms - databaseMs),
      load: load.join(' '),
    }),
  );
  for (const [kind, figure] of [...statementMs].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`  ${String(Math.round(figure.ms)).padStart(7)} ms ${String(figure.n).padStart(5)}× ${kind}`);
  }
}
await db.destroy();
