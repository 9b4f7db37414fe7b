import { Title } from '@mantine/core';

export function ProblemsPage() {
  return <Title order={2}>Problems</Title>;
}
