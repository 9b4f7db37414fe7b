import { Title } from '@mantine/core';

export function ItemsPage() {
  return <Title order={2}>Items</Title>;
}
