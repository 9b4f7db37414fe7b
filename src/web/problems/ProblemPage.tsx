import { Title } from '@mantine/core';

export function ProblemPage() {
  return <Title order={2}>Problem</Title>;
}
