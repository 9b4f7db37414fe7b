import { Stack } from '@mantine/core';
import { PortalActivityCard } from './PortalActivityCard.tsx';
import { TermsCard } from './TermsCard.tsx';

/** The person page's Portal tab: the customer's terms, and what they did in the portal. */
export function PersonPortalPanel({ personId }: { personId: string }) {
  return (
    <Stack gap="md">
      <TermsCard personId={personId} />
      <PortalActivityCard personId={personId} />
    </Stack>
  );
}
