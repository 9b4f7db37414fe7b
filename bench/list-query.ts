/**
 * The people list filtered by `q`, one query at a time, on a kept PostgreSQL register (as
 * `npm run bench -- --keep` leaves it), without HTTP:
 *   node --import tsx bench/list-query.ts --database-url URL [--names a,b,c]
 *
 * Asks for the first page (50) of 150 family names, the 30 most common given names (their rows sit
 * together in the name order) and a few common words, each three times, and prints the median
 * per query's p50 / p95 / max for each set, and every query over 40 ms.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { parsePersonSort } from '../src/features/people/keyset.ts';
import { listPageWithQuery } from '../src/features/people/list-query-page.ts';
import { peopleListQuery } from '../src/features/people/queries.ts';
import type { Tables } from '../src/platform/db/tables.ts';
import { option, requiredDatabaseUrl } from './script-options.ts';

const url = requiredDatabaseUrl();
const db = new Kysely<Tables>({
  dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
});
const { rows: workspaces } = await sql<{ id: string }>`select workspace_id as id from people limit 1`.execute(
  db,
);
const workspaceId = workspaces[0]!.id;

const sets: Record<string, string[]> = {};
const named = option('names');
if (named) sets.named = named.split(',');
else {
  sets.familyNames = (
    await sql<{ f: string }>`select f from (select distinct split_part(sort_name, ' ', 2) as f from people
      where sort_name ~ '^[a-z]+ [a-z]{4,}$') s order by md5(f) limit 150`.execute(db)
  ).rows.map((row) => row.f);
  sets.givenNames = (
    await sql<{
      f: string;
    }>`select split_part(sort_name, ' ', 1) as f from people where sort_name ~ '^[a-z]{4,} '
      group by 1 order by count(*) desc limit 30`.execute(db)
  ).rows.map((row) => row.f);
  sets.commonWords = ['gmail', 'example', 'manager', 'director', 'engineer', 'son', 'com', 'ab'];
}

const sort = parsePersonSort('name');
const firstPage = (q: string) =>
  db.transaction().execute((tx) =>
    listPageWithQuery(tx, {
      q,
      table: 'people',
      sort,
      cursor: null,
      rows: 51,
      page: (qMatch, after) =>
        peopleListQuery(
          tx,
          workspaceId,
          { limit: 50, q: qMatch ? q : undefined, qMatch } as never,
          sort,
          after,
        ),
    }),
  );

const figures: Record<string, unknown> = {};
for (const [name, queries] of Object.entries(sets)) {
  const medians: number[] = [];
  const slow: Record<string, number> = {};
  for (const q of queries) {
    const runs: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      await firstPage(q);
      runs.push(performance.now() - started);
    }
    const median = runs.sort((a, b) => a - b)[1]!;
    medians.push(median);
    if (median > 40) slow[q] = Math.round(median);
  }
  medians.sort((a, b) => a - b);
  const at = (share: number) =>
    Number(medians[Math.min(medians.length - 1, Math.floor(share * medians.length))]!.toFixed(1));
  figures[name] = { queries: queries.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: at(1), over40Ms: slow };
}
console.log(JSON.stringify(figures, null, 2));
await db.destroy();
