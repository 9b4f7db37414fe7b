import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { SearchResult } from '../../shared/people.ts';
import { likeEscape } from '../people/keyset.ts';
import { phoneLike } from '../people/queries.ts';
import {
  enoughSimilar,
  minSimilarLength,
  type SimilarityTier,
  similarityTiers,
  similarName,
} from './similarity.ts';
import { containsText, type SearchTerms } from './terms.ts';

const live = (terms: SearchTerms) => sql`workspace_id = ${terms.workspaceId} and deleted_at is null`;

/** Exact domain, name prefix, substring of name/domains/tags/industry (see search/people.ts). */
function exactCandidates(terms: SearchTerms): RawBuilder<unknown> {
  const prefix = `${likeEscape(terms.q)}%`;
  return sql`
    with by_domain as materialized (select id from organizations where ${live(terms)} and domains @> array[${terms.email}]::text[]),
      by_text as materialized (select id from organizations where ${live(terms)} and ${containsText('search_text', terms.q)})
    (select id from by_domain limit 10)
    union (select id from organizations where ${live(terms)} and sort_name like ${prefix} order by sort_name, id limit 50)
    union (select id from by_text limit 50)`;
}

function similarCandidates(terms: SearchTerms, tier: SimilarityTier): RawBuilder<unknown> {
  return sql`
    with by_similar_name as materialized (select id from organizations where ${live(terms)} and ${similarName('search_name', terms.q, tier)})
    select id from by_similar_name limit 100`;
}

/** Scored like people: exact name 1, prefix 0.9, similarity, substring 0.7, domain 1, tag 0.8. */
async function scoreOrganizations(tx: Queryable, terms: SearchTerms, candidates: RawBuilder<unknown>) {
  const like = `%${likeEscape(terms.q)}%`;
  const prefix = `${likeEscape(terms.q)}%`;
  const result = await sql<{ id: string; title: string; subtitle: string | null; score: number }>`
    with candidates as (${candidates})
    select o.id, o.name as title, coalesce(o.domains[1], o.industry) as subtitle,
      greatest(
        similarity(o.search_name, ${terms.q}),
        word_similarity(${terms.q}, o.search_name) * 0.95,
        case when o.search_name = ${terms.q} then 1 when o.search_name like ${prefix} then 0.9
             when o.search_text like ${like} then 0.7 end,
        case when o.domains @> array[${terms.email}]::text[] then 1 end,
        case when o.tags @> array[${terms.tag}]::text[] then 0.8 end
      )::float8 as score
    from candidates c
    join organizations o on o.id = c.id
    order by score desc, o.sort_name, o.id
    limit ${terms.limit}`.execute(tx);
  return result.rows.map((row): SearchResult => ({ type: 'organization', ...row }));
}

/** Organizations matching the query, best first: exact steps, then similar names by tier. */
export async function searchOrganizations(tx: Queryable, terms: SearchTerms): Promise<SearchResult[]> {
  const found = await scoreOrganizations(tx, terms, exactCandidates(terms));
  // Names hold no @ and no bare digits (as for people).
  const similar = terms.q.length >= minSimilarLength && !terms.q.includes('@') && phoneLike(terms.q) === null;
  const enough = found.length >= terms.limit || found.some((result) => result.score >= 0.9);
  if (!similar || enough) return found;
  const byId = new Map(found.map((result) => [result.id, result]));
  for (const tier of similarityTiers) {
    const similarNames = await scoreOrganizations(tx, terms, similarCandidates(terms, tier));
    for (const result of similarNames) if (!byId.has(result.id)) byId.set(result.id, result);
    if (similarNames.length >= enoughSimilar) break;
  }
  return [...byId.values()].sort((a, b) => b.score - a.score);
}

/** People who work at the organizations found, ranked below the organization itself. */
export async function peopleOf(tx: Queryable, terms: SearchTerms, organizations: SearchResult[]) {
  const found = organizations.slice(0, 10);
  if (found.length === 0) return [];
  const result = await sql<{ id: string; title: string; job_title: string | null; organization_id: string }>`
    select id, display_name as title, job_title, organization_id from people
    where workspace_id = ${terms.workspaceId} and deleted_at is null
      and organization_id = any(cast(${found.map((org) => org.id)} as uuid[]))
    order by sort_name, id
    limit ${terms.limit}`.execute(tx);
  return result.rows.map((row): SearchResult => {
    const org = found.find((candidate) => candidate.id === row.organization_id)!;
    return {
      type: 'person',
      id: row.id,
      title: row.title,
      subtitle: [row.job_title, org.title].filter(Boolean).join(' · '),
      score: org.score * 0.6,
    };
  });
}
