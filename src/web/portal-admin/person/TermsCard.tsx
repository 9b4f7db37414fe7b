/** Placeholder: the portal slice that owns this file replaces it. */
export function TermsCard(_props: { personId: string }) {
  return null;
}
