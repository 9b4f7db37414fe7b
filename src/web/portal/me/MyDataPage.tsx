/** Placeholder: the portal slice that owns this file replaces it. */
export function MyDataPage() {
  return <p>MyDataPage</p>;
}
