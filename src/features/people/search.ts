import type { Db } from '../../platform/db/database.ts';
import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { type SearchResult, searchQuery, searchResults } from '../../shared/people.ts';
import { peopleOf, searchOrganizations } from '../search/organizations.ts';
import { searchPeople } from '../search/people.ts';
import { searchTerms } from '../search/terms.ts';

/**
 * People and organizations matching `q`, best first; the people who work at the best
 * organizations come along, scored 0.6 × theirs. No transaction: each statement is complete in
 * itself (the similarity thresholds are set inside it), so people and organizations are searched
 * at the same time on two connections of the pool (on the embedded database, one after the other).
 */
export async function search(db: Db, workspaceId: string, raw: string, limit: number) {
  const terms = searchTerms(workspaceId, raw, limit);
  if (!terms) return [];
  const organizationsAndStaff = searchOrganizations(db, terms).then(
    async (organizations) => [organizations, await peopleOf(db, terms, organizations)] as const,
  );
  const [people, [organizations, staff]] = await Promise.all([
    searchPeople(db, terms),
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
