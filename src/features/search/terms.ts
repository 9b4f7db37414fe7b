import { type RawBuilder, sql } from 'kysely';
import { emailKey, foldForSearch, normalizeTags } from '../../shared/people.ts';
import { likeEscape } from '../people/keyset.ts';

/** What one search looks for, in each of the forms the columns are stored in. */
export interface SearchTerms {
  workspaceId: string;
  /** Folded query: compared with the folded name and search text. */
  q: string;
  /** As typed: the notes are matched word by word by full-text search. */
  raw: string;
  email: string;
  tag: string;
  limit: number;
}

/** Null when the query folds to nothing (only spaces or combining marks). */
export function searchTerms(workspaceId: string, raw: string, limit: number): SearchTerms | null {
  const q = foldForSearch(raw);
  if (!q) return null;
  return { workspaceId, q, raw, email: emailKey(raw), tag: normalizeTags([raw])[0] ?? '', limit };
}

/** Longer queries look the index up by their start only (see containsText). */
const indexedLength = 12;

/**
 * `column` contains the folded query (short queries: a word of it starts or ends with it). A trigram index answers LIKE '%…%' by reading the rows
 * of every trigram of the pattern, so a long query ('earnestine.ortiz@monahanwt.com', with
 * "com", "@gm", "ail" found in most rows) reads most of the index: the index is asked for its
 * first 12 characters, which already pick out a few rows, and strpos (which no index serves)
 * checks those for the whole query.
 */
export function containsText(column: string, q: string): RawBuilder<boolean> {
  const ref = sql.ref(column);
  // Under 3 characters a pattern holds no trigram and the index would return every row: look
  // for a word that starts or ends with them ('% 小明', '小明 %': "王小明" ends with "小明").
  if ([...q].length < 3) {
    const text = likeEscape(q);
    return sql<boolean>`(${ref} like ${`${text}%`} or ${ref} like ${`% ${text}%`}
      or ${ref} like ${`%${text} %`} or ${ref} like ${`%${text}`})`;
  }
  if (q.length <= indexedLength) return sql<boolean>`${ref} like ${`%${likeEscape(q)}%`}`;
  const start = `%${likeEscape(q.slice(0, indexedLength).trimEnd())}%`;
  return sql<boolean>`(${ref} like ${start} and strpos(${ref}, ${q}) > 0)`;
}
