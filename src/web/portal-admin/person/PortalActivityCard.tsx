/** Placeholder: the portal slice that owns this file replaces it. */
export function PortalActivityCard(_props: { personId: string }) {
  return null;
}
