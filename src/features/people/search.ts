import type { Db } from '../../platform/db/database.ts';
import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { type SearchResult, searchQuery, searchResults } from '../../shared/people.ts';
import { peopleOf, searchOrganizations } from '../search/organizations.ts';
import { searchPeople } from '../search/people.ts';
import { searchTerms } from '../search/terms.ts';

/**
 * People and organizations matching `q`, best first. Organizations are searched first (a
 * small table) so that the people who work at the best ones come along, scored 0.6 × theirs.
 */
export async function search(db: Db, workspaceId: string, raw: string, limit: number) {
  const terms = searchTerms(workspaceId, raw, limit);
  if (!terms) return [];
  const [people, organizations, staff] = await db.transaction().execute(async (tx) => {
    const organizations = await searchOrganizations(tx, terms);
    return [await searchPeople(tx, terms), organizations, await peopleOf(tx, terms, organizations)];
  });
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
