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

/**
 * The steps that find exactly what was typed, cheapest first. Each is one index-driven step
 * with its own LIMIT, so a query that matches 40,000 people ("vip") costs as much as one that
 * matches 40. Each step is a materialized CTE: it is planned for all its rows (an index scan)
 * and read lazily up to its LIMIT. As a plain subquery with a LIMIT, PostgreSQL (which keeps
 * no statistics on trigrams) preferred walking a whole table or index, for seconds.
 *
 * Keyed: exact email and tag (one index key each), name prefix (b-tree), phone digits.
 */
function keyedCandidates(terms: SearchTerms): RawBuilder<unknown> {
  const prefix = `${likeEscape(terms.q)}%`;
  const phone = phoneLike(terms.q);
  return sql`
    with by_email as materialized (select id from people where ${live(terms)} and email_keys @> array[${terms.email}]::text[]),
      ${phone ? sql`by_phone as materialized (select id from people where ${live(terms)} and search_text like ${phone}),` : sql``}
      by_tag as materialized (select id from people where ${live(terms)} and tags @> array[${terms.tag}]::text[])
    (select id from by_email limit 20)
    union (select id from by_tag limit 50)
    union (select id from people where ${live(terms)} and sort_name like ${prefix} order by sort_name, id limit 50)
    ${phone ? sql`union (select id from by_phone limit 50)` : sql``}`;
}

/** People read in name order to look for a common word of the notes first (see textCandidates). */
const commonWordWindow = 2000;
/** Matches of the notes' words taken from the full-text index (see textCandidates). */
const noteMatches = 50;

/**
 * Text: substring of the search text (names, emails, tags, job title), words of the notes.
 * The full-text index is asked first for up to `noteMatches` + 1 people (a rare word: a few
 * index pages and rows). When it has no more than `noteMatches`, those are all of them. A common
 * word of the notes (in 65,000 of 1M people) costs ~50 ms as a bitmap of the whole full-text
 * index; the first `commonWordWindow` people by name already hold 50 of them. So those are
 * tested next (a one-time filter: only for a word with more matches), and the index read whole
 * only when they do not hold 50: the words found are then the first by name, the order they are
 * shown in. (Reading the window for every word cost 5–45 ms of heap reads for a rare one.)
 */
function textCandidates(terms: SearchTerms): RawBuilder<unknown> {
  const words = sql`plainto_tsquery('simple', ${terms.raw})`;
  return sql`
    with by_text as materialized (select id from people where ${live(terms)} and ${containsText('search_text', terms.q)}),
      by_rare_word as materialized (select id from people where ${live(terms)} and notes_search @@ ${words}
        limit ${noteMatches + 1}),
      by_common_word as materialized (select id from (select id, notes_search from people where ${live(terms)}
        order by sort_name, id limit ${commonWordWindow}) first_by_name where notes_search @@ ${words} limit 50),
      by_notes as materialized (select id from people where ${live(terms)} and notes_search @@ ${words})
    (select id from by_text limit 100)
    union (select id from by_rare_word where (select count(*) from by_rare_word) <= ${noteMatches})
    union (select id from by_common_word where (select count(*) from by_rare_word) > ${noteMatches})
    union (select id from by_notes where (select count(*) from by_rare_word) > ${noteMatches}
      and (select count(*) from by_common_word) < 50 limit 50)`;
}

/** Names similar to the query at the tier's thresholds (see similarity.ts). */
function similarCandidates(terms: SearchTerms, tier: SimilarityTier): RawBuilder<unknown> {
  return sql`
    with by_similar_name as materialized (select id from people where ${live(terms)} and ${similarName('search_name', terms.q, tier)})
    select id from by_similar_name limit 200`;
}

/**
 * Scores, from 0 to 1: exact name 1, name prefix 0.9, trigram similarity of the name (typos),
 * substring of name/email/tag/job title 0.7, exact email 1, phone digits 0.9, exact tag 0.8,
 * words of the notes 0.4.
 */
async function scorePeople(tx: Queryable, terms: SearchTerms, candidates: RawBuilder<unknown>) {
  const like = `%${likeEscape(terms.q)}%`;
  const prefix = `${likeEscape(terms.q)}%`;
  const phone = phoneLike(terms.q);
  const result = await sql<{
    id: string;
    title: string;
    job_title: string | null;
    emails: { value: string; primary: boolean }[];
    organization: string | null;
    score: number;
  }>`
    with candidates as (${candidates})
    select p.id, p.display_name as title, p.job_title, p.emails, o.name as organization,
      greatest(
        similarity(p.search_name, ${terms.q}),
        word_similarity(${terms.q}, p.search_name) * 0.95,
        case when p.search_name = ${terms.q} then 1 when p.search_name like ${prefix} then 0.9
             when p.search_text like ${like} then 0.7 end,
        case when p.email_keys @> array[${terms.email}]::text[] then 1 end,
        ${phone ? sql`case when p.search_text like ${phone} then 0.9 end` : sql`null`},
        case when p.tags @> array[${terms.tag}]::text[] then 0.8 end,
        case when p.notes_search @@ plainto_tsquery('simple', ${terms.raw}) then 0.4 end
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

/**
 * People matching the query, best first: each stage runs only when the ones before did not
 * find an exact match or fill the page with good ones (keyed lookups, then text, then similar
 * names from the strictest tier that finds some, the more forgiving ones only while nobody at
 * all was found). A full email found by its key needs no substring search.
 * Names hold no @ and no bare digits: emails and phone numbers skip the similar-names step.
 */
export async function searchPeople(tx: Queryable, terms: SearchTerms): Promise<SearchResult[]> {
  const byId = new Map<string, SearchResult>();
  const add = (results: SearchResult[]) => {
    for (const result of results) if (!byId.has(result.id)) byId.set(result.id, result);
    return results.length;
  };
  // Enough: an exact name, name prefix, email or phone found, or a page of other matches.
  const full = () => byId.size >= terms.limit || [...byId.values()].some((result) => result.score >= 0.9);
  const keyed = add(await scorePeople(tx, terms, keyedCandidates(terms)));
  const email = terms.q.includes('@');
  if (full() || (email && keyed > 0)) return [...byId.values()];
  add(await scorePeople(tx, terms, textCandidates(terms)));
  const similar = terms.q.length >= minSimilarLength && !email && phoneLike(terms.q) === null;
  if (!similar || full()) return [...byId.values()];
  for (const [index, tier] of similarityTiers.entries()) {
    // A more forgiving tier only when no stage found anyone: it rechecks thousands of names
    // (~100–200 ms on 1M people), and a word already found, e.g. in the notes, is what was meant.
    if (index > 0 && byId.size > 0) break;
    if (add(await scorePeople(tx, terms, similarCandidates(terms, tier))) >= enoughSimilar) break;
  }
  return [...byId.values()];
}
