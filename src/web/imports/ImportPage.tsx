import { Text } from '@mantine/core';

// Placeholder until the feature's page lands.
export function ImportPage() {
  return <Text>Import</Text>;
}
