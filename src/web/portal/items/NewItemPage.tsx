/** Placeholder: the portal slice that owns this file replaces it. */
export function NewItemPage() {
  return <p>NewItemPage</p>;
}
