/** Placeholder: the portal slice that owns this file replaces it. */
export function ArticlePage() {
  return <p>ArticlePage</p>;
}
