import { Text } from '@mantine/core';

// Placeholder until relationships land: the typed links of a person or an organization.
export function RelationshipsPanel(_props: { personId?: string; organizationId?: string }) {
  return <Text c="dimmed">Relationships coming.</Text>;
}
