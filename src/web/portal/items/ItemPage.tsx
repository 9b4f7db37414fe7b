/** Placeholder: the portal slice that owns this file replaces it. */
export function ItemPage() {
  return <p>ItemPage</p>;
}
