/** Placeholder: the portal slice that owns this file replaces it. */
export function IntentsPage() {
  return <p>IntentsPage</p>;
}
