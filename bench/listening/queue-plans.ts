/**
 * Every queue × every list filter, first page and a deep keyset page, timed in process:
 *   node --import tsx bench/listening/queue-plans.ts --database-url URL [--runs N] [--over MS]
 *     [--explain FILE] [--only queue,queue]
 * Reads a register loaded by `npm run bench -- --suite listening|metrics --keep` (read-only). Runs
 * the exact query of GET /api/v1/items (itemListQuery) `--runs` times each and prints p50/p95 in
 * ms; with --explain, writes EXPLAIN (ANALYZE, BUFFERS) of every case whose p95 is over `--over`
 * (default 30) to FILE. Figures, not pass/fail.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CompiledQuery, sql } from 'kysely';
import { itemListQuery } from '../../src/features/items/queues.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { itemQueues, type ListItemsQuery, listItemsQuery } from '../../src/shared/listening.ts';
import { deepCursor } from './scenarios.ts';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    runs: { type: 'string', default: '7' },
    over: { type: 'string', default: '30' },
    explain: { type: 'string' },
    only: { type: 'string' },
  },
});
const runs = Number(args.runs);
const over = Number(args.over);
const database = await openDatabase({ kind: 'postgres', url: args['database-url']!, poolSize: 1 });
const db = database.db;
const admin = await db
  .selectFrom('users')
  .select(['workspace_id', 'id'])
  .where('email', '=', 'bench@example.com')
  .executeTakeFirstOrThrow();
const ws = admin.workspace_id;
const one = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(db)).rows[0];
const owner = await one<{ id: string }>(sql`select owner_id as id from items
  where workspace_id = ${ws} and owner_id is not null and owner_id <> ${admin.id} limit 1`);
const person = await one<{ id: string }>(sql`select person_id as id from items
  where workspace_id = ${ws} and person_id is not null order by id desc limit 1`);
const organization = await one<{ id: string }>(sql`select organization_id as id from items
  where workspace_id = ${ws} and organization_id is not null limit 1`);
const category = await one<{ id: string }>(sql`select id from item_categories
  where workspace_id = ${ws} and name = 'Billing'`);
const problem = await one<{ id: string }>(sql`select problem_id as id from items
  where workspace_id = ${ws} and problem_id is not null limit 1`);
const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString();
const halfYearAgo = new Date(Date.now() - 180 * 86_400_000).toISOString();

const filterCases: Record<string, Partial<Record<keyof ListItemsQuery, unknown>>> = {
  none: {},
  kind: { kind: 'praise' },
  status: { status: 'in_progress' },
  channel: { channel: 'letter' },
  priority: { priority: 'urgent' },
  ownerId: { ownerId: owner?.id },
  personId: { personId: person?.id },
  organizationId: { organizationId: organization?.id ?? '00000000-0000-7000-8000-000000000000' },
  categoryId: { categoryId: category?.id },
  problemId: { problemId: problem?.id },
  tag: { tag: 'press' },
  escalationLevel: { escalationLevel: 'manager' },
  breachedTrue: { breached: 'true' },
  breachedFalse: { breached: 'false' },
  createdAfter: { createdAfter: monthAgo },
  createdBefore: { createdBefore: halfYearAgo },
  q: { q: 'refund' },
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const queues = args.only ? args.only.split(',') : [...itemQueues];
const context = { workspaceId: ws, userId: admin.id, now: new Date(), warnMinutes: 60 };
if (args.explain) writeFileSync(args.explain, '');
const results: {
  queue: string;
  filter: string;
  page: string;
  p50: number;
  p95: number;
  rows: number;
  matching: number;
}[] = [];
await sql`set statement_timeout = '30s'`.execute(db);
for (const queue of queues) {
  for (const [filter, values] of Object.entries(filterCases)) {
    // The deep page starts half-way down this queue with this filter (a cursor a user could hold).
    // The whole list (a createdBefore page limits each of its halves to the page size too).
    const whole = { ...listItemsQuery.parse({ queue, limit: 50, ...values }), limit: 10_000_000 };
    const listed = itemListQuery(db, context, whole, null);
    const counted = await db
      .selectFrom(listed.clearLimit().clearOrderBy().as('q'))
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    const after = await deepCursor(listed, Math.floor(counted.n / 2));
    for (const page of after ? ['first', 'deep'] : ['first']) {
      const filters = listItemsQuery.parse({ queue, limit: 50, ...values });
      const cursor = page === 'deep' ? JSON.parse(Buffer.from(after!, 'base64url').toString()) : null;
      const query = itemListQuery(db, context, filters, cursor);
      const times: number[] = [];
      let rows = 0;
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        try {
          rows = (await query.execute()).length;
        } catch {
          rows = -1; // statement timeout
        }
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const row = {
        queue,
        filter,
        page,
        p50: Math.round(percentile(times, 0.5) * 10) / 10,
        p95: Math.round(percentile(times, 0.95) * 10) / 10,
        rows,
        matching: counted.n,
      };
      results.push(row);
      console.log(
        `${row.p95 > over ? '!!' : '  '} ${queue.padEnd(20)} ${filter.padEnd(16)} ${page.padEnd(5)} p50 ${row.p50} p95 ${row.p95} rows ${rows}`,
      );
      if (args.explain && row.p95 > over) {
        const compiled = query.compile();
        const plan = await db
          .executeQuery(
            CompiledQuery.raw(`explain (analyze, buffers) ${compiled.sql}`, [...compiled.parameters]),
          )
          .catch((error) => ({ rows: [{ 'QUERY PLAN': String(error) }] }));
        const parameters = JSON.stringify(compiled.parameters);
        appendFileSync(
          args.explain,
          `=== ${queue} ${filter} ${page} p95 ${row.p95}\n${compiled.sql}\n${parameters}\n${(plan.rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n')}\n\n`,
        );
      }
    }
  }
}
const slow = results.filter((row) => row.p95 > over);
console.log(
  JSON.stringify({
    cases: results.length,
    over,
    slow: slow.length,
    worstP95: Math.max(...results.map((r) => r.p95)),
  }),
);
await database.close();
