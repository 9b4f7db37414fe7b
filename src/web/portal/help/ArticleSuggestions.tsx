/**
 * Placeholder: the knowledge-base slice replaces it. Shown on the new-request form while the
 * customer types: articles that might answer `query`, each with "Did this answer your question?".
 */
export function ArticleSuggestions(_props: { query: string }) {
  return null;
}
