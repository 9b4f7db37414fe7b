import { Text } from '@mantine/core';

// Placeholder until the feature's page lands.
export function GoneQuietPage() {
  return <Text>Gone quiet</Text>;
}
