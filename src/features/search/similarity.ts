import { type RawBuilder, sql } from 'kysely';

/**
 * How forgiving a similar-names step is: pg_trgm's similarity (whole name against the query)
 * and word similarity (the query against the best-matching part of the name).
 */
export interface SimilarityTier {
  similarity: number;
  wordSimilarity: number;
}

/**
 * Strict first, forgiving last. A trigram index answers `%` and `<%` with every name sharing
 * enough trigrams, and each of those is read from the table to be checked: at 0.25 a 10-letter
 * misspelt name on 1M people means ~10,000 rows read (seconds); at 0.5, a few hundred. Most
 * typos (one slip, two swapped letters) keep a name ≥ 0.45 similar, so the forgiving tiers
 * only run when the strict ones found (almost) nothing: 'Jonh Smiht' is 0.29 like 'John Smith'.
 */
export const similarityTiers: SimilarityTier[] = [
  { similarity: 0.45, wordSimilarity: 0.8 },
  { similarity: 0.25, wordSimilarity: 0.6 },
];

/** A similar name found: a more forgiving tier would only add names further away. */
export const enoughSimilar = 1;

/** Queries shorter than this skip the similar-names steps: the other steps find them anyway. */
export const minSimilarLength = 4;

/**
 * True, after setting the thresholds of `%` and `<%` to the tier's (set_config local: they last
 * until the search's transaction ends, so every statement that uses `%` must set its own tier
 * this way). An uncorrelated subquery
 * without columns is a one-time filter, evaluated before the scans under it start, so the trigram
 * index is read with these thresholds; setting them in the same statement saves a round trip.
 */
function withTier(tier: SimilarityTier): RawBuilder<boolean> {
  return sql<boolean>`(select set_config('pg_trgm.similarity_threshold', ${String(tier.similarity)}, true)
    || set_config('pg_trgm.word_similarity_threshold', ${String(tier.wordSimilarity)}, true)) is not null`;
}

/**
 * Names similar to the folded query `q` in `column` at the tier's thresholds: similarity of the
 * whole name, and for a single word also word similarity (a typo in one part of a longer name:
 * 'smitth' for 'John Smith'). Each is a separate pass over the trigram index, so several words,
 * which the whole name's similarity already finds, skip the second one.
 */
export function similarName(column: string, q: string, tier: SimilarityTier): RawBuilder<boolean> {
  const ref = sql.ref(column);
  if (q.includes(' ')) return sql<boolean>`${withTier(tier)} and ${ref} % ${q}`;
  return sql<boolean>`${withTier(tier)} and (${ref} % ${q} or ${q} <% ${ref})`;
}
