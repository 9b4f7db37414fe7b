import { Anchor, Card, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../app/api.ts';
import { formatDate } from '../app/ui.tsx';
import type { Page, PersonRecord } from './api.ts';
import { PersonAvatar } from './list/columns.tsx';
import { StageBadge } from './stage.tsx';

/** The people most recently changed, for the home page. */
export function RecentPeople() {
  const query = useQuery({
    queryKey: ['people', 'recent'],
    queryFn: () => api.get<Page<PersonRecord>>('/api/v1/people?sort=-updatedAt&limit=5'),
  });
  const people = query.data?.data ?? [];
  if (people.length === 0) return null;
  return (
    <Card withBorder radius="md" padding="md">
      <Text size="sm" fw={600} mb="xs">
        Recently updated
      </Text>
      <Stack gap={6}>
        {people.map((person) => (
          <Group key={person.id} justify="space-between" wrap="nowrap" gap="xs">
            <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
              <PersonAvatar person={person} size={24} />
              <Anchor component={Link} to={`/people/${person.id}`} size="sm" truncate>
                {person.displayName}
              </Anchor>
              <StageBadge stage={person.stage} size="xs" />
            </Group>
            <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
              {formatDate(person.updatedAt)}
            </Text>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
