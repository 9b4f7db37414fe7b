import { ActionIcon, Anchor, Badge, Chip, Group, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import {
  channelLabels,
  type Interaction,
  type InteractionType,
  interactionTypeLabels,
  interactionTypes,
} from '../../shared/interactions.ts';
import { api, errorMessage } from '../app/api.ts';
import { ClockIcon } from '../app/icons.tsx';
import { useCan } from '../app/session.ts';
import { ConfirmModal, formatDate, LoadMore, QueryError, TableSkeleton } from '../app/ui.tsx';
import { afterInteractionWrite, fromNow, pathWith, timelineKey } from './api.ts';
import { TypeIcon } from './TypeIcon.tsx';

interface Page {
  data: Interaction[];
  next: string | null;
}

function Entry({ item, onDelete }: { item: Interaction; onDelete?: (item: Interaction) => void }) {
  const details = [
    item.channel ? channelLabels[item.channel] : null,
    item.direction === 'inbound' ? 'Inbound' : item.direction === 'outbound' ? 'Outbound' : null,
    item.durationMinutes !== null ? `${item.durationMinutes} min` : null,
  ].filter(Boolean);
  return (
    <Paper withBorder radius="md" p="sm" component="li" style={{ listStyle: 'none' }}>
      <Group align="flex-start" wrap="nowrap" gap="sm">
        <TypeIcon type={item.type} />
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Group gap="xs">
              <Text fw={600}>{interactionTypeLabels[item.type]}</Text>
              {details.map((detail) => (
                <Badge key={detail} variant="light" color="gray" size="sm">
                  {detail}
                </Badge>
              ))}
            </Group>
            <Group gap={4} wrap="nowrap">
              <Tooltip label={formatDate(item.occurredAt)}>
                <Text size="sm" c="dimmed" component="time" dateTime={item.occurredAt}>
                  {fromNow(item.occurredAt)}
                </Text>
              </Tooltip>
              {onDelete && (
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="sm"
                  aria-label={`Delete ${interactionTypeLabels[item.type].toLowerCase()} of ${formatDate(item.occurredAt)}`}
                  onClick={() => onDelete(item)}
                >
                  ×
                </ActionIcon>
              )}
            </Group>
          </Group>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {item.summary}
          </Text>
          {item.outcome && (
            <Text size="sm" c="dimmed">
              Outcome: {item.outcome}
            </Text>
          )}
          <Group gap="xs" mt={2}>
            {item.people.map((person) => (
              <Anchor key={person.id} component={Link} to={`/people/${person.id}`} size="xs">
                {person.displayName}
              </Anchor>
            ))}
            {item.organization && (
              <Anchor component={Link} to={`/organizations/${item.organization.id}`} size="xs">
                {item.organization.name}
              </Anchor>
            )}
            {item.staff.length > 0 && (
              <Text size="xs" c="dimmed">
                with {item.staff.map((user) => user.name).join(', ')}
              </Text>
            )}
          </Group>
        </Stack>
      </Group>
    </Paper>
  );
}

/** The merged timeline of a person or an organization: newest first, filterable by type. */
export function Timeline({ personId, organizationId }: { personId?: string; organizationId?: string }) {
  const [types, setTypes] = useState<InteractionType[]>([]);
  const [deleting, setDeleting] = useState<Interaction | null>(null);
  const queryClient = useQueryClient();
  const can = useCan();
  const path = personId
    ? `/api/v1/people/${personId}/timeline`
    : `/api/v1/organizations/${organizationId}/timeline`;
  const query = useInfiniteQuery({
    queryKey: [...timelineKey, personId ?? null, organizationId ?? null, types],
    queryFn: ({ pageParam }) => api.get<Page>(pathWith(path, { type: types, limit: '25', after: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled: Boolean(personId || organizationId),
  });
  const restore = useMutation({
    mutationFn: (id: string) => api.post(`/api/v1/interactions/${id}/restore`),
    onSuccess: () => afterInteractionWrite(queryClient),
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Not restored', message: errorMessage(error) }),
  });
  const remove = useMutation({
    mutationFn: (item: Interaction) => api.delete(`/api/v1/interactions/${item.id}`),
    onSuccess: (_, item) => {
      const id = notifications.show({
        color: 'teal',
        message: (
          <Group gap="xs" justify="space-between">
            <span>{interactionTypeLabels[item.type]} deleted.</span>
            <Anchor
              component="button"
              size="sm"
              onClick={() => {
                restore.mutate(item.id);
                notifications.hide(id);
              }}
            >
              Undo
            </Anchor>
          </Group>
        ),
      });
      return afterInteractionWrite(queryClient);
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Not deleted', message: errorMessage(error) }),
    onSettled: () => setDeleting(null),
  });

  const items = query.data?.pages.flatMap((page) => page.data) ?? [];
  let content: React.ReactNode;
  if (query.isPending) content = <TableSkeleton rows={3} />;
  else if (query.isError) content = <QueryError error={query.error} onRetry={() => query.refetch()} />;
  else if (items.length === 0)
    content = (
      <Stack align="center" gap="xs" py="xl" c="dimmed">
        <ClockIcon size={32} />
        <Text>
          {types.length > 0
            ? 'Nothing of these types yet.'
            : 'No interactions yet. Log a call or a meeting to start the timeline.'}
        </Text>
      </Stack>
    );
  else
    content = (
      <>
        <Stack gap="xs" component="ol" p={0} m={0} aria-label="Timeline">
          {items.map((item) => (
            <Entry
              key={item.id}
              item={item}
              {...(can('interactions.write') ? { onDelete: setDeleting } : {})}
            />
          ))}
        </Stack>
        <LoadMore
          hasNextPage={query.hasNextPage}
          isFetchingNextPage={query.isFetchingNextPage}
          fetchNextPage={query.fetchNextPage}
        />
      </>
    );

  return (
    <Stack gap="sm">
      <Chip.Group multiple value={types} onChange={(value) => setTypes(value as InteractionType[])}>
        <Group gap="xs" role="group" aria-label="Filter the timeline">
          {interactionTypes.map((type) => (
            <Chip key={type} value={type} size="xs" variant="outline">
              {interactionTypeLabels[type]}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      {content}
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title="Delete this interaction?"
        confirmLabel="Delete"
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
      >
        The {deleting ? interactionTypeLabels[deleting.type].toLowerCase() : ''} of{' '}
        {formatDate(deleting?.occurredAt)} leaves the timeline and "last contacted" is recomputed. You can
        undo it right after.
      </ConfirmModal>
    </Stack>
  );
}
