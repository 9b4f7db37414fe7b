import { Text } from '@mantine/core';

// Placeholder until the feature's page lands.
export function WorkspacePage() {
  return <Text>Workspace</Text>;
}
