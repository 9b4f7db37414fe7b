/** Placeholder: the portal slice that owns this file replaces it. */
export function TermsPage() {
  return <p>TermsPage</p>;
}
