/** Placeholder: the portal slice that owns this file replaces it. */
export function SuggestionPage() {
  return <p>SuggestionPage</p>;
}
