import { Text } from '@mantine/core';

// Placeholder until the feature's page lands.
export function DuplicatesPage() {
  return <Text>Duplicates</Text>;
}
