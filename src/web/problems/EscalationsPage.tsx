import { Title } from '@mantine/core';

export function EscalationsPage() {
  return <Title order={2}>Escalations</Title>;
}
