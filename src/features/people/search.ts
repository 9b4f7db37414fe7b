import { sql } from 'kysely';
import type { Db, Queryable } from '../../platform/db/database.ts';
import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute } from '../../platform/http/route.ts';
import {
  emailKey,
  foldForSearch,
  normalizeTags,
  type SearchResult,
  searchQuery,
  searchResults,
} from '../../shared/people.ts';
import { likeEscape, tuneTrigrams } from './keyset.ts';
import { phoneLike } from './queries.ts';

/** Queries shorter than this skip the similar-names step (see searchPeople). */
const minSimilarLength = 4;

interface Terms {
  workspaceId: string;
  /** Folded query: compared with the folded name and search text. */
  q: string;
  raw: string;
  email: string;
  tag: string;
  limit: number;
}

/**
 * Scores, from 0 to 1: exact name 1, name prefix 0.9, trigram similarity of the name (typos),
 * substring of name/email/tag/job title 0.7, exact email 1, phone digits 0.9, exact tag 0.8,
 * words of the notes 0.4. People of a matching organization get 0.6 × its score.
 *
 * Only bounded candidate sets are scored: each way of matching is one index-driven step with
 * its own LIMIT (exact email and tag, name prefix, similar names, substring, phone digits,
 * notes), so a query that matches 40,000 people ("vip") costs as much as one that matches 40.
 * Each step is a materialized CTE: it is planned for all its rows (an index scan) and read
 * lazily up to its LIMIT. As a plain subquery with a LIMIT, PostgreSQL (which keeps no
 * statistics on single array elements) preferred walking a whole table or index, for seconds.
 * Similar names are looked for from 4 characters on: shorter queries match tens of thousands
 * of trigrams to recheck, and prefix and substring steps find them anyway.
 */
async function searchPeople(tx: Queryable, terms: Terms) {
  const like = `%${likeEscape(terms.q)}%`;
  const prefix = `${likeEscape(terms.q)}%`;
  const phone = phoneLike(terms.q);
  const notesQuery = sql`plainto_tsquery('simple', ${terms.raw})`;
  const live = sql`workspace_id = ${terms.workspaceId} and deleted_at is null`;
  // Names hold no @ and no bare digits: emails and phone numbers skip the similar-names step.
  const similar = terms.q.length >= minSimilarLength && !terms.q.includes('@') && !phone;
  const result = await sql<{
    id: string;
    title: string;
    job_title: string | null;
    emails: { value: string; primary: boolean }[];
    organization: string | null;
    score: number;
  }>`
    with by_email as materialized (select id from people where ${live} and email_keys @> array[${terms.email}]::text[]),
      by_tag as materialized (select id from people where ${live} and tags @> array[${terms.tag}]::text[]),
      by_similar_name as materialized (select id from people where ${live}
        and ${similar ? sql`(search_name % ${terms.q} or ${terms.q} <% search_name)` : sql`false`}),
      by_text as materialized (select id from people where ${live} and search_text like ${like}),
      ${phone ? sql`by_phone as materialized (select id from people where ${live} and search_text like ${phone}),` : sql``}
      by_notes as materialized (select id from people where ${live} and notes_search @@ ${notesQuery}),
      candidates as (
        (select id from by_email limit 20)
        union (select id from by_tag limit 50)
        union (select id from people where ${live} and sort_name like ${prefix} order by sort_name, id limit 50)
        union (select id from by_similar_name limit 200)
        union (select id from by_text limit 100)
        ${phone ? sql`union (select id from by_phone limit 50)` : sql``}
        union (select id from by_notes limit 50)
      )
    select p.id, p.display_name as title, p.job_title, p.emails, o.name as organization,
      greatest(
        similarity(p.search_name, ${terms.q}),
        word_similarity(${terms.q}, p.search_name) * 0.95,
        case when p.search_name = ${terms.q} then 1 when p.search_name like ${prefix} then 0.9
             when p.search_text like ${like} then 0.7 end,
        case when p.email_keys @> array[${terms.email}]::text[] then 1 end,
        ${phone ? sql`case when p.search_text like ${phone} then 0.9 end` : sql`null`},
        case when p.tags @> array[${terms.tag}]::text[] then 0.8 end,
        case when p.notes_search @@ ${notesQuery} then 0.4 end
      )::float8 as score
    from candidates c
    join people p on p.id = c.id
    left join organizations o on o.id = p.organization_id and o.deleted_at is null
    order by score desc, p.sort_name, p.id
    limit ${terms.limit}`.execute(tx);
  return result.rows.map(
    (row): SearchResult => ({
      type: 'person',
      id: row.id,
      title: row.title,
      subtitle:
        [row.job_title, row.organization].filter(Boolean).join(' · ') ||
        (row.emails.find((email) => email.primary)?.value ?? null),
      score: row.score,
    }),
  );
}

/** Organizations, scored like people from bounded candidate sets (see searchPeople). */
async function searchOrganizations(tx: Queryable, terms: Terms) {
  const like = `%${likeEscape(terms.q)}%`;
  const prefix = `${likeEscape(terms.q)}%`;
  const live = sql`workspace_id = ${terms.workspaceId} and deleted_at is null`;
  const similar = terms.q.length >= minSimilarLength;
  const result = await sql<{ id: string; title: string; subtitle: string | null; score: number }>`
    with by_domain as materialized (select id from organizations where ${live} and domains @> array[${terms.email}]::text[]),
      by_similar_name as materialized (select id from organizations where ${live}
        and ${similar ? sql`(search_name % ${terms.q} or ${terms.q} <% search_name)` : sql`false`}),
      by_text as materialized (select id from organizations where ${live} and search_text like ${like}),
      candidates as (
        (select id from by_domain limit 10)
        union (select id from organizations where ${live} and sort_name like ${prefix} order by sort_name, id limit 50)
        union (select id from by_similar_name limit 100)
        union (select id from by_text limit 50)
      )
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

/** People who work at the organizations found, ranked below the organization itself. */
async function peopleOf(tx: Queryable, terms: Terms, organizations: SearchResult[]) {
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

/** People and organizations matching `q`, best first. */
export async function search(db: Db, workspaceId: string, raw: string, limit: number) {
  const q = foldForSearch(raw);
  if (!q) return [];
  const terms: Terms = {
    workspaceId,
    q,
    raw,
    email: emailKey(raw),
    tag: normalizeTags([raw])[0] ?? '',
    limit,
  };
  const [people, organizations, staff] = await db.transaction().execute(async (tx) => {
    await tuneTrigrams(tx);
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
  summary: 'Find people and organizations by name (typos tolerated), email, phone digits or tag',
  query: searchQuery,
  response: searchResults,
  handler: async ({ query, ctx }) => ({
    data: await search(ctx.deps.db, requireAuth(ctx).workspaceId, query.q, query.limit),
  }),
});
