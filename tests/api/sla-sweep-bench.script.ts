// The SLA sweep over many open items on embedded PGlite:
//   node --import tsx tests/api/sla-sweep-bench.script.ts [openItems=1000000] [dueShare=0.01] [all]
// Items are spread over the next days; `dueShare` of them are due now (a busy minute). It times
// a sweep with nothing due (the index probe every minute costs), one with the due share, and with
// `all` a sweep of every item at once (all due, each warned: the worst case after a long outage).

import { sql } from 'kysely';
import { sweepSla } from '../../src/features/sla/sweep.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import type { AppDeps } from '../../src/platform/http/context.ts';
import { newId } from '../../src/platform/ids.ts';

const openItems = Number(process.argv[2] ?? 1_000_000);
const dueShare = Number(process.argv[3] ?? 0.01);
const database = await openDatabase({ kind: 'pglite' });
await migrate(database.db);
const db = database.db;
const workspaceId = newId();
await db.insertInto('workspaces').values({ id: workspaceId, name: 'Bench' }).execute();
await db
  .insertInto('business_hours')
  .values({
    workspace_id: workspaceId,
    time_zone: 'Europe/Amsterdam',
    schedule: JSON.stringify([1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }))),
    holidays: JSON.stringify(['2026-12-25']),
    updated_at: new Date(),
  })
  .execute();

const now = new Date('2026-11-23T10:00:00Z');
const dueCount = Math.round(openItems * dueShare);
const started = performance.now();
for (let from = 0; from < openItems; from += 50_000) {
  const to = Math.min(openItems, from + 50_000) - 1;
  // Due items were created 2 hours ago (normal: warning due); the rest in the last minutes, their
  // next check hours ahead.
  await sql`
    insert into items (id, workspace_id, kind, channel, subject, priority, status, reply_token,
      created_at, updated_at, first_response_due_at, resolution_due_at, sla_next_check_at)
    select gen_random_uuid(), ${workspaceId}, 'complaint', 'email', 'Bench item ' || i, 'normal', 'new',
      md5(${workspaceId} || i::text),
      case when i < ${dueCount} then ${now}::timestamptz - interval '2 hours' else ${now}::timestamptz end,
      ${now}::timestamptz, ${now}::timestamptz + interval '8 hours', ${now}::timestamptz + interval '3 days',
      case when i < ${dueCount} then ${now}::timestamptz - interval '1 minute'
        else ${now}::timestamptz + (i % 1440) * interval '1 minute' + interval '1 minute' end
    from generate_series(${from}::int, ${to}::int) i`.execute(db);
}
await sql`analyze items`.execute(db);
console.log(
  `seeded ${openItems} open items (${dueCount} due) in ${Math.round(performance.now() - started)} ms`,
);

const config = loadConfig({ RAPPORT_DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent' });
const deps: AppDeps = { database, db, config, clock: () => now };
const plan = await sql<{ 'QUERY PLAN': string }>`explain select id from items
  where sla_next_check_at <= ${now}::timestamptz order by sla_next_check_at limit 500 for update skip locked`.execute(
  db,
);
console.log(plan.rows.map((row) => row['QUERY PLAN']).join('\n'));

const idle = await sweepSla(deps, { now: new Date(now.getTime() - 3_600_000) });
console.log('sweep, nothing due:', idle);
const busy = await sweepSla(deps);
console.log(
  `sweep, ${dueCount} due:`,
  busy,
  `${Math.round((busy.checked / Math.max(1, busy.ms)) * 1000)} items/s`,
);
if (process.argv[4] === 'all') {
  const all = await sweepSla(deps, { now: new Date(now.getTime() + 2 * 86_400_000) });
  console.log(
    `sweep, all ${openItems} due:`,
    all,
    `${Math.round((all.checked / Math.max(1, all.ms)) * 1000)} items/s`,
  );
}
await database.close();
