import { Text } from '@mantine/core';

// Placeholder until the influence map lands.
export function InfluenceMap(_props: { personId: string }) {
  return <Text c="dimmed">Influence map coming.</Text>;
}
