import { Anchor, Badge, Button, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { DuplicatePage, DuplicatePair, MergeResult } from '../../shared/merges.ts';
import type { Person } from '../../shared/people.ts';
import { api, errorMessage, withQuery } from '../app/api.ts';
import { LoadMore, PageHeader, QueryError, TableSkeleton } from '../app/ui.tsx';
import { MergeModal } from './MergeModal.tsx';
import { invalidateAfterMerge, RecentMerges, useUndoMerge } from './RecentMerges.tsx';

const pairKey = (pair: DuplicatePair) => `${pair.person.id}+${pair.other.id}`;

function PersonSummary({ person }: { person: Person }) {
  const email = person.emails.find((item) => item.primary)?.value;
  const phone = person.phones.find((item) => item.primary)?.value;
  return (
    <Stack gap={2} style={{ flex: '1 1 200px', minWidth: 0 }}>
      <Anchor component={Link} to={`/people/${person.id}`} fw={600}>
        {person.displayName}
      </Anchor>
      {[person.jobTitle, email, phone].filter(Boolean).map((line) => (
        <Text key={line} size="sm" c="dimmed" truncate>
          {line}
        </Text>
      ))}
    </Stack>
  );
}

function PairCard({
  pair,
  onMerge,
  onDismiss,
  dismissing,
}: {
  pair: DuplicatePair;
  onMerge: () => void;
  onDismiss: () => void;
  dismissing: boolean;
}) {
  const percent = Math.round(pair.score * 100);
  const names = `${pair.person.displayName} and ${pair.other.displayName}`;
  return (
    <Paper withBorder p="md" radius="md" component="article" aria-label={`Possible duplicate: ${names}`}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="md">
          <PersonSummary person={pair.person} />
          <PersonSummary person={pair.other} />
          <Stack gap={4} w={140}>
            <Text size="sm" fw={600}>
              {percent}% likely
            </Text>
            <Progress value={percent} aria-label={`Likelihood ${percent}%`} />
          </Stack>
        </Group>
        <Group gap="xs">
          {pair.reasons.map((reason) => (
            <Badge key={reason.detail} variant="light" color={reason.kind === 'name' ? 'grape' : 'blue'}>
              {reason.detail}
            </Badge>
          ))}
        </Group>
        <Group justify="flex-end" gap="xs">
          <Button
            variant="default"
            size="xs"
            onClick={onDismiss}
            loading={dismissing}
            aria-label={`Not duplicates: ${names}`}
          >
            Not duplicates
          </Button>
          <Button size="xs" onClick={onMerge} aria-label={`Compare and merge ${names}`}>
            Compare and merge
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

export function DuplicatesPage() {
  const queryClient = useQueryClient();
  const duplicates = useInfiniteQuery({
    queryKey: ['duplicates'],
    queryFn: ({ pageParam }) =>
      api.get<DuplicatePage>(withQuery('/api/v1/duplicates', { limit: 20, after: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const [merging, setMerging] = useState<DuplicatePair | null>(null);
  const undo = useUndoMerge();
  const dismiss = useMutation({
    mutationFn: (pair: DuplicatePair) =>
      api.post('/api/v1/duplicates/dismiss', { personId: pair.person.id, otherId: pair.other.id }),
    onSuccess: (_, pair) =>
      notifications.show({
        color: 'teal',
        message: `${pair.person.displayName} and ${pair.other.displayName} will no longer be suggested.`,
      }),
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Not dismissed', message: errorMessage(error) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['duplicates'] }),
  });

  const onMerged = (result: MergeResult, mergedName: string) => {
    setMerging(null);
    void invalidateAfterMerge(queryClient);
    const id = notifications.show({
      color: 'teal',
      autoClose: 15_000,
      message: (
        <Group gap="xs" justify="space-between" wrap="nowrap">
          <span>
            Merged {mergedName} into {result.person.displayName}.
          </span>
          <Button
            size="compact-xs"
            variant="light"
            onClick={() => {
              notifications.hide(id);
              undo.mutate(result.merge.id);
            }}
          >
            Undo
          </Button>
        </Group>
      ),
    });
  };

  const pairs = duplicates.data?.pages.flatMap((page) => page.data) ?? [];
  let content: React.ReactNode;
  if (duplicates.isPending) content = <TableSkeleton rows={3} />;
  else if (duplicates.isError)
    content = <QueryError error={duplicates.error} onRetry={() => duplicates.refetch()} />;
  else if (pairs.length === 0)
    content = (
      <Stack align="center" gap="xs" py="xl" c="dimmed">
        <Text fw={600}>No likely duplicates</Text>
        <Text size="sm">
          People sharing an email or a phone, or with similar names at one organization, show up here.
        </Text>
      </Stack>
    );
  else
    content = (
      <Stack gap="sm" aria-label="Likely duplicates" component="section">
        {pairs.map((pair) => (
          <PairCard
            key={pairKey(pair)}
            pair={pair}
            onMerge={() => setMerging(pair)}
            onDismiss={() => dismiss.mutate(pair)}
            dismissing={
              dismiss.isPending && dismiss.variables && pairKey(dismiss.variables) === pairKey(pair)
            }
          />
        ))}
        <LoadMore
          hasNextPage={duplicates.hasNextPage}
          isFetchingNextPage={duplicates.isFetchingNextPage}
          fetchNextPage={duplicates.fetchNextPage}
        />
      </Stack>
    );

  return (
    <>
      <PageHeader
        title="Duplicates"
        description="People who are probably the same person: same email, same phone, or a similar name at the same organization. Merge them field by field, or mark them as not duplicates."
      />
      <Stack gap="xl">
        <div>
          <Title order={2} size="h4" mb="sm" id="likely-duplicates-title">
            Likely duplicates
          </Title>
          {content}
        </div>
        <RecentMerges />
      </Stack>
      {merging && (
        <MergeModal
          key={pairKey(merging)}
          pair={merging}
          onClose={() => setMerging(null)}
          onMerged={onMerged}
        />
      )}
    </>
  );
}
