/** Placeholder: the portal slice that owns this file replaces it. */
export function HelpPage() {
  return <p>HelpPage</p>;
}
