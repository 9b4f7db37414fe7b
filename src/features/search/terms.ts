import { emailKey, foldForSearch, normalizeTags } from '../../shared/people.ts';

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
