/** Placeholder: the portal slice that owns this file replaces it. */
export function ErasureRequestsPage() {
  return null;
}
