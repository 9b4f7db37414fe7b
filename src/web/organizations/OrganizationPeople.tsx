import { Button, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMemo } from 'react';
import { useCan } from '../app/session.ts';
import { QueryError, TableSkeleton } from '../app/ui.tsx';
import { type PersonRecord, useInfiniteList, useUsers } from '../people/api.ts';
import { peopleColumns } from '../people/list/columns.tsx';
import { NewPersonModal } from '../people/NewPersonModal.tsx';
import { VirtualTable } from '../people/table/VirtualTable.tsx';

const shown = ['name', 'jobTitle', 'email', 'phone', 'stage', 'lastContactedAt'];

function headcount(count: number, more: boolean): string {
  if (more) return `${count}+ people work here`;
  return count === 1 ? '1 person works here' : `${count} people work here`;
}

/** The people who work at an organization, in the same table as the people list. */
export function OrganizationPeople({ organizationId }: { organizationId: string }) {
  const can = useCan();
  const users = useUsers();
  const owners = useMemo(() => new Map(users.map((user) => [user.id, user.name])), [users]);
  const columns = useMemo(
    () => peopleColumns(owners, () => undefined, []).filter((column) => shown.includes(column.key)),
    [owners],
  );
  const list = useInfiniteList<PersonRecord>('people', '/api/v1/people', { organizationId }, 50);
  const [creating, create] = useDisclosure(false);
  return (
    <>
      <Group justify="space-between" mb="sm">
        <Text size="sm" c="dimmed">
          {list.isSuccess ? headcount(list.rows.length, list.hasNextPage) : ' '}
        </Text>
        {can('people.write') && (
          <Button size="xs" variant="light" onClick={create.open}>
            Add a person here
          </Button>
        )}
      </Group>
      {list.isPending ? (
        <TableSkeleton />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : list.rows.length === 0 ? (
        <Text c="dimmed">No one is linked to this organization yet.</Text>
      ) : (
        <VirtualTable
          label="People at this organization"
          rows={list.rows}
          columns={columns}
          rowId={(person) => person.id}
          hasNextPage={list.hasNextPage}
          isFetchingNextPage={list.isFetchingNextPage}
          fetchNextPage={list.fetchNextPage}
          height="480px"
        />
      )}
      <NewPersonModal opened={creating} onClose={create.close} organizationId={organizationId} />
    </>
  );
}
