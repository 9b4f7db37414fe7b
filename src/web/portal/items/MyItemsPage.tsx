/** Placeholder: the portal slice that owns this file replaces it. */
export function MyItemsPage() {
  return <p>MyItemsPage</p>;
}
