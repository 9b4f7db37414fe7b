import { Text } from '@mantine/core';

// Placeholder until the feature's page lands.
export function CustomFieldsPage() {
  return <Text>Custom fields</Text>;
}
