/** Placeholder: the portal slice that owns this file replaces it. */
export function SuggestionsPage() {
  return <p>SuggestionsPage</p>;
}
