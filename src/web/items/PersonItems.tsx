import { Anchor, Button, Center, Group, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { Item } from '../../shared/listening.ts';
import { useCan } from '../app/session.ts';
import { LoadMore, QueryError, TableSkeleton } from '../app/ui.tsx';
import { useInfiniteList } from '../people/api.ts';
import { KindBadge, SlaBadges, StatusBadge } from './badges.tsx';
import { openQuickItem } from './QuickItemModal.tsx';
import { useNow } from './useNow.ts';

/** "Log item" prefilled with the person (for the person page header). */
export function LogItemForPerson({ person }: { person: { id: string; name: string } }) {
  const can = useCan();
  if (!can('items.write')) return null;
  return (
    <Button variant="light" onClick={() => openQuickItem({ person })}>
      Log item
    </Button>
  );
}

/** The items a person raised, newest first (the person page's Items tab). */
export function PersonItems({ person }: { person: { id: string; name: string } }) {
  const now = useNow();
  const list = useInfiniteList<Item>('items', '/api/v1/items', { personId: person.id, queue: 'all' }, 50);
  if (list.isPending) return <TableSkeleton rows={4} />;
  if (list.isError) return <QueryError error={list.error} onRetry={() => list.refetch()} />;
  if (list.rows.length === 0) {
    return (
      <Center py="xl">
        <Stack align="center" gap="xs">
          <Text c="dimmed">
            {person.name} has no items: no complaint, request, suggestion or praise logged.
          </Text>
          <LogItemForPerson person={person} />
        </Stack>
      </Center>
    );
  }
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Everything {person.name} told us, newest first.
        </Text>
        <Anchor component={Link} to={`/items?queue=all&personId=${person.id}`} size="sm">
          Open in the items list
        </Anchor>
      </Group>
      <Table.ScrollContainer minWidth={640}>
        <Table highlightOnHover verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>Subject</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>SLA</Table.Th>
              <Table.Th>Logged</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.rows.map((item) => (
              <Table.Tr key={item.id}>
                <Table.Td ff="monospace">#{item.ref}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/items/${item.id}`} size="sm">
                    {item.subject}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <KindBadge kind={item.kind} />
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={item.status} />
                </Table.Td>
                <Table.Td>
                  <SlaBadges item={item} now={now} compact />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {new Date(item.createdAt).toLocaleDateString()}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <LoadMore
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
      />
    </Stack>
  );
}
