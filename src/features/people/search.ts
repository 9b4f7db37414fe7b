import { sql } from 'kysely';
import type { Db, Queryable } from '../../platform/db/database.ts';
import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { type SearchResult, searchQuery, searchResults } from '../../shared/people.ts';
import { peopleOf, searchOrganizations } from '../search/organizations.ts';
import { searchPeople } from '../search/people.ts';
import { searchTerms } from '../search/terms.ts';

/**
 * Runs search statements without JIT compilation. Their plans are costed for every row of the
 * materialized steps (a common tag: ~43,000) though each step is read only up to its LIMIT, so
 * PostgreSQL compiled them (jit_above_cost 100,000): 60–230 ms of compiling for a statement
 * that runs in 30. JIT is a planning decision, so the setting must precede the statement: a
 * transaction with the setting local to it (two round trips more than the statements alone).
 */
function withoutJit<T>(db: Db, run: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`select set_config('jit', 'off', true)`.execute(tx);
    return run(tx);
  });
}

/**
 * People and organizations matching `q`, best first; the people who work at the best
 * organizations come along, scored 0.6 × theirs. People and organizations are searched at the
 * same time on two connections of the pool (on the embedded database, one after the other).
 */
export async function search(db: Db, workspaceId: string, raw: string, limit: number) {
  const terms = searchTerms(workspaceId, raw, limit);
  if (!terms) return [];
  const organizationsAndStaff = withoutJit(db, async (tx) => {
    const organizations = await searchOrganizations(tx, terms);
    return [organizations, await peopleOf(tx, terms, organizations)] as const;
  });
  const [people, [organizations, staff]] = await Promise.all([
    withoutJit(db, (tx) => searchPeople(tx, terms)),
    organizationsAndStaff,
  ]);
  const best = new Map<string, SearchResult>();
  for (const result of [...people, ...staff, ...organizations]) {
    const score = Math.round(result.score * 1000) / 1000;
    if ((best.get(result.id)?.score ?? -1) < score) best.set(result.id, { ...result, score });
  }
  return [...best.values()]
    .sort((a, b) => b.score - a.score || a.title.localeCompare(b.title))
    .slice(0, limit);
}

export const searchRoute = defineRoute({
  method: 'GET',
  url: '/api/v1/search',
  permission: 'people.read',
  tag: 'people',
  summary: 'Find people and organizations by name (typos tolerated), email, phone digits, tag or notes',
  query: searchQuery,
  response: searchResults,
  handler: async ({ query, ctx }) => ({
    data: await search(ctx.deps.db, requireAuth(ctx).workspaceId, query.q, query.limit),
  }),
});
