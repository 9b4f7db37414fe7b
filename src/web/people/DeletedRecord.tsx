import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { DeletedOrganization, DeletedPerson } from '../../shared/recently-deleted.ts';
import { api } from '../app/api.ts';
import { useCan } from '../app/session.ts';
import { formatDate, TableSkeleton } from '../app/ui.tsx';
import { useRestore } from './RecentlyDeletedPage.tsx';

/**
 * The page of a deleted person or organization: who may restore it sees when and by whom it was
 * deleted, and can restore it; everyone else (and for records gone for good) sees `notFound`.
 */
export function DeletedRecord({
  kind,
  id,
  notFound,
}: {
  kind: 'people' | 'organizations';
  id: string;
  notFound: ReactNode;
}) {
  const can = useCan();
  const deleted = useQuery({
    queryKey: ['recently-deleted', kind, 'one', id],
    queryFn: () => api.get<DeletedPerson | DeletedOrganization>(`/api/v1/${kind}/deleted/${id}`),
    enabled: can(kind === 'people' ? 'people.delete' : 'organizations.delete'),
    retry: false,
  });
  const restore = useRestore(kind);
  if (deleted.isLoading) return <TableSkeleton rows={2} />;
  if (!deleted.data) return notFound;
  const { deletedAt, deletedBy, restorableUntil } = deleted.data;
  const name = 'displayName' in deleted.data ? deleted.data.displayName : deleted.data.name;
  return (
    <Stack align="flex-start">
      <Title order={1} size="h2">
        {name} was deleted
      </Title>
      <Text c="dimmed">
        Deleted {formatDate(deletedAt)}
        {deletedBy ? ` by ${deletedBy.name}` : ''}. {kind === 'people' ? 'They' : 'It'} can be restored until{' '}
        {formatDate(restorableUntil)}.
      </Text>
      <Group gap="xs">
        <Button loading={restore.isPending} onClick={() => restore.mutate(id)}>
          Restore
        </Button>
        <Button component={Link} to={`/${kind}/deleted`} variant="default">
          Recently deleted
        </Button>
      </Group>
    </Stack>
  );
}
