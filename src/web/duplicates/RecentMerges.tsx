import { Badge, Button, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { MergePage, MergeSummary, UndoResult } from '../../shared/merges.ts';
import { api, errorMessage, withQuery } from '../app/api.ts';
import { ConfirmModal, formatDate, LoadMore, QueryError, TableSkeleton } from '../app/ui.tsx';

/** Refreshes everything a merge or its undo changes. */
export function invalidateAfterMerge(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: ['duplicates'] }),
    queryClient.invalidateQueries({ queryKey: ['merges'] }),
    queryClient.invalidateQueries({ queryKey: ['people'] }),
  ]);
}

/** Undo of a merge, with a notification saying what happened (or why it was refused). */
export function useUndoMerge() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (mergeId: string) => api.post<UndoResult>(`/api/v1/merges/${mergeId}/undo`),
    onSuccess: (result) =>
      notifications.show({
        color: 'teal',
        message: `Merge undone: ${result.person.displayName} and ${result.other.displayName} are separate again.`,
      }),
    onError: (error) =>
      notifications.show({
        color: 'red',
        title: 'Not undone',
        message: errorMessage(error),
        autoClose: false,
      }),
    onSettled: () => invalidateAfterMerge(queryClient),
  });
}

export function RecentMerges() {
  const merges = useInfiniteQuery({
    queryKey: ['merges'],
    queryFn: ({ pageParam }) =>
      api.get<MergePage>(withQuery('/api/v1/merges', { limit: 10, after: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const undo = useUndoMerge();
  const [undoing, setUndoing] = useState<MergeSummary | null>(null);
  const items = merges.data?.pages.flatMap((page) => page.data) ?? [];

  let content: React.ReactNode;
  if (merges.isPending) content = <TableSkeleton rows={2} />;
  else if (merges.isError) content = <QueryError error={merges.error} onRetry={() => merges.refetch()} />;
  else if (items.length === 0)
    content = (
      <Text c="dimmed" size="sm">
        No merges yet.
      </Text>
    );
  else
    content = (
      <Table.ScrollContainer minWidth={560}>
        <Table verticalSpacing="xs" aria-label="Recent merges">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Kept</Table.Th>
              <Table.Th>Merged into it</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((merge) => (
              <Table.Tr key={merge.id}>
                <Table.Td>
                  <Text component={Link} to={`/people/${merge.survivorId}`} size="sm" c="blue">
                    {merge.survivorName}
                  </Text>
                </Table.Td>
                <Table.Td>{merge.mergedName}</Table.Td>
                <Table.Td>{formatDate(merge.createdAt)}</Table.Td>
                <Table.Td ta="right">
                  {merge.undoneAt ? (
                    <Badge variant="light" color="gray">
                      Undone {formatDate(merge.undoneAt)}
                    </Badge>
                  ) : (
                    <Button
                      size="xs"
                      variant="light"
                      onClick={() => setUndoing(merge)}
                      aria-label={`Undo merge of ${merge.mergedName} into ${merge.survivorName}`}
                    >
                      Undo
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="recent-merges-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="recent-merges-title">
          Recent merges
        </Title>
        {content}
        <LoadMore
          hasNextPage={merges.hasNextPage}
          isFetchingNextPage={merges.isFetchingNextPage}
          fetchNextPage={merges.fetchNextPage}
        />
      </Stack>
      <ConfirmModal
        opened={undoing !== null}
        onClose={() => setUndoing(null)}
        title="Undo this merge?"
        confirmLabel="Undo merge"
        danger={false}
        loading={undo.isPending}
        onConfirm={() => undoing && undo.mutate(undoing.id, { onSettled: () => setUndoing(null) })}
      >
        {undoing?.survivorName} and {undoing?.mergedName} become two records again, exactly as before the
        merge. Refused if {undoing?.survivorName} was edited since.
      </ConfirmModal>
    </Paper>
  );
}
