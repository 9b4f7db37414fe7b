import { Button, Paper, SegmentedControl, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type QueryClient, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { Organization } from '../../shared/organizations.ts';
import type { Person } from '../../shared/people.ts';
import type { DeletedOrganization, DeletedPerson } from '../../shared/recently-deleted.ts';
import { api, errorMessage, withQuery } from '../app/api.ts';
import { useCan } from '../app/session.ts';
import { formatDate, LoadMore, NoAccess, PageHeader, QueryError, TableSkeleton } from '../app/ui.tsx';
import type { Page } from './api.ts';

type Kind = 'people' | 'organizations';

/** Refreshes what a restore changes: the lists, the record, and the recently deleted lists. */
export function invalidateAfterRestore(queryClient: QueryClient, kind: Kind) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: [kind] }),
    queryClient.invalidateQueries({ queryKey: ['recently-deleted'] }),
    // Restoring an organization re-links its people.
    kind === 'organizations' ? queryClient.invalidateQueries({ queryKey: ['people'] }) : undefined,
  ]);
}

/** Restores a deleted person or organization, with a notification saying what happened. */
export function useRestore(kind: Kind) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Person | Organization>(`/api/v1/${kind}/${id}/restore`),
    onSuccess: (restored) =>
      notifications.show({
        color: 'teal',
        message: `${'displayName' in restored ? restored.displayName : restored.name} restored.`,
      }),
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Not restored', message: errorMessage(error) }),
    onSettled: () => invalidateAfterRestore(queryClient, kind),
  });
}

function DeletedList<T extends DeletedPerson | DeletedOrganization>({
  kind,
  name,
  detail,
}: {
  kind: Kind;
  name: (row: T) => string;
  detail?: (row: T) => string | null;
}) {
  const list = useInfiniteQuery({
    queryKey: ['recently-deleted', kind],
    queryFn: ({ pageParam }) =>
      api.get<Page<T>>(withQuery(`/api/v1/${kind}/deleted`, { limit: 50, after: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const restore = useRestore(kind);
  const rows = list.data?.pages.flatMap((page) => page.data) ?? [];
  const label = kind === 'people' ? 'Recently deleted people' : 'Recently deleted organizations';

  if (list.isPending) return <TableSkeleton rows={3} />;
  if (list.isError) return <QueryError error={list.error} onRetry={() => list.refetch()} />;
  if (rows.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {kind === 'people' ? 'No one' : 'No organization'} was deleted in the last 30 days.
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="xs" aria-label={label}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Deleted</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th>Restorable until</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.id}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {name(row)}
                  </Text>
                  {detail?.(row) && (
                    <Text size="xs" c="dimmed">
                      {detail(row)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{formatDate(row.deletedAt)}</Table.Td>
                <Table.Td>{row.deletedBy?.name ?? <Text c="dimmed">—</Text>}</Table.Td>
                <Table.Td>{formatDate(row.restorableUntil)}</Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="xs"
                    variant="light"
                    loading={restore.isPending && restore.variables === row.id}
                    onClick={() => restore.mutate(row.id)}
                    aria-label={`Restore ${name(row)}`}
                  >
                    Restore
                  </Button>
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

const personDetail = (person: DeletedPerson) =>
  [person.jobTitle, person.emails[0]?.value].filter(Boolean).join(' · ') || null;

const organizationDetail = (org: DeletedOrganization) =>
  org.detachedPeople > 0
    ? `Restoring links ${org.detachedPeople} ${org.detachedPeople === 1 ? 'person' : 'people'} back to it`
    : null;

/** People and organizations deleted in the last 30 days, for those who may restore them. */
export function RecentlyDeletedPage({ initial = 'people' }: { initial?: Kind }) {
  const can = useCan();
  const [search, setSearch] = useSearchParams();
  const allowed: Kind[] = [
    ...(can('people.delete') ? (['people'] as const) : []),
    ...(can('organizations.delete') ? (['organizations'] as const) : []),
  ];
  const asked = search.get('show');
  const kind = allowed.find((k) => k === asked) ?? (allowed.includes(initial) ? initial : allowed[0]);
  if (!kind) return <NoAccess />;
  return (
    <Stack gap="md">
      <PageHeader
        title="Recently deleted"
        description={
          <>
            Deleted people and organizations can be restored for 30 days, then they are removed for good.
            Merged people are not listed here: undo the merge from{' '}
            <Text component={Link} to="/people/duplicates" size="sm" c="blue">
              Duplicates
            </Text>
            .
          </>
        }
      />
      {allowed.length > 1 && (
        <SegmentedControl
          aria-label="Show"
          value={kind}
          onChange={(value) => setSearch({ show: value }, { replace: true })}
          data={[
            { value: 'people', label: 'People' },
            { value: 'organizations', label: 'Organizations' },
          ]}
          style={{ alignSelf: 'flex-start' }}
        />
      )}
      <Paper withBorder p="md" radius="md">
        {kind === 'people' ? (
          <DeletedList<DeletedPerson>
            key="people"
            kind="people"
            name={(p) => p.displayName}
            detail={personDetail}
          />
        ) : (
          <DeletedList<DeletedOrganization>
            key="organizations"
            kind="organizations"
            name={(o) => o.name}
            detail={organizationDetail}
          />
        )}
      </Paper>
    </Stack>
  );
}
