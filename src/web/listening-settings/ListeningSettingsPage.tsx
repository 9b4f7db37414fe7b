import { Title } from '@mantine/core';

export function ListeningSettingsPage() {
  return <Title order={2}>Listening settings</Title>;
}
