import { Text } from '@mantine/core';

// Placeholder until the timeline lands: the merged timeline of a person or an organization.
export function Timeline(_props: { personId?: string; organizationId?: string }) {
  return <Text c="dimmed">Timeline coming.</Text>;
}
