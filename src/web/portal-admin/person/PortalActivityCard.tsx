import { Alert, Badge, Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { PortalActivity } from '../../../shared/portal-me.ts';
import { api, errorMessage, withQuery } from '../../app/api.ts';

const fieldLabels: Record<string, string> = {
  givenName: 'Given name',
  familyName: 'Family name',
  nickname: 'Nickname',
  pronouns: 'Pronouns',
  jobTitle: 'Job title',
  birthday: 'Birthday',
  emails: 'Emails',
  phones: 'Phones',
  addresses: 'Addresses',
};

const when = (value: string) =>
  new Date(value).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The person page's portal activity: last sign-in, what they did, and what they corrected themselves. */
function usePortalActivity(personId: string) {
  return useInfiniteQuery({
    queryKey: ['people', 'one', personId, 'portal-activity'],
    queryFn: ({ pageParam }) =>
      api.get<PortalActivity>(
        withQuery(`/api/v1/people/${personId}/portal-activity`, { limit: 20, after: pageParam }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function PortalActivityCard({ personId }: { personId: string }) {
  const query = usePortalActivity(personId);
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          Portal activity
        </Title>
        <ActivityBody query={query} />
      </Stack>
    </Paper>
  );
}

function ActivityBody({ query }: { query: ReturnType<typeof usePortalActivity> }) {
  if (query.isPending) return <Loader size="sm" aria-label="Loading portal activity" />;
  if (query.isError) {
    return (
      <Alert color="red" title="Could not load the portal activity">
        {errorMessage(query.error)}{' '}
        <Button variant="subtle" size="compact-sm" onClick={() => void query.refetch()}>
          Try again
        </Button>
      </Alert>
    );
  }
  const first = query.data.pages[0]!;
  const activity = query.data.pages.flatMap((page) => page.activity);
  if (!first.lastSignInAt && activity.length === 0) {
    return <Text c="dimmed">Never used the portal</Text>;
  }
  return (
    <Stack gap="sm">
      <Group gap="xl">
        <div>
          <Text size="xs" c="dimmed">
            Last sign-in
          </Text>
          <Text>{first.lastSignInAt ? when(first.lastSignInAt) : 'Never'}</Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            Sign-ins
          </Text>
          <Text>{first.sessions}</Text>
        </div>
      </Group>

      <div>
        <Text fw={600} size="sm" mb={4}>
          Changed by customer
        </Text>
        {first.changedFields.length === 0 ? (
          <Text size="sm" c="dimmed">
            The customer has not corrected any of their details.
          </Text>
        ) : (
          <Group gap="xs">
            {first.changedFields.map((change) => (
              <Badge
                key={change.field}
                variant="light"
                color="grape"
                tt="none"
                title={`Changed ${when(change.at)}`}
              >
                {fieldLabels[change.field] ?? change.field} · {when(change.at)}
              </Badge>
            ))}
          </Group>
        )}
      </div>

      <div>
        <Text fw={600} size="sm" mb={4}>
          Recent activity
        </Text>
        {activity.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing recorded yet.
          </Text>
        ) : (
          <Table striped verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={190}>When</Table.Th>
                <Table.Th>What</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {activity.map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Td>
                    <Text size="sm">{when(row.at)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{row.summary}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {query.hasNextPage ? (
          <Button
            variant="subtle"
            size="compact-sm"
            mt="xs"
            loading={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            Show older activity
          </Button>
        ) : null}
      </div>
    </Stack>
  );
}
