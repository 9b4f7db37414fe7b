import { Title } from '@mantine/core';

export function ItemPage() {
  return <Title order={2}>Item</Title>;
}
