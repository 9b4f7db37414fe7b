import {
  ActionIcon,
  Badge,
  Button,
  Center,
  Group,
  Indicator,
  Loader,
  Popover,
  ScrollArea,
  Stack,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { Notification, NotificationType } from '../../shared/notifications.ts';
import { api, errorMessage, withQuery } from '../app/api.ts';
import { Icon } from '../app/icons.tsx';
import { useCan } from '../app/session.ts';

const countKey = ['notifications', 'unread-count'] as const;
const listKey = ['notifications', 'list'] as const;

const typeLabels: Record<NotificationType, string> = {
  assignment: 'Assigned to you',
  mention: 'Mentioned you',
  customer_reply: 'Customer replied',
  sla_warning: 'SLA warning',
  sla_breach: 'SLA breached',
  escalation: 'Escalation',
  problem_fixed: 'Problem fixed',
};
const typeColors: Partial<Record<NotificationType, string>> = {
  sla_warning: 'orange',
  sla_breach: 'red',
  escalation: 'red',
  customer_reply: 'teal',
};

const BellIcon = () => (
  <Icon>
    <path d="M6 8a6 6 0 0112 0c0 7 3 9 3 9H3s3-2 3-9" />
    <path d="M10.3 21a1.94 1.94 0 003.4 0" />
  </Icon>
);

function ago(iso: string): string {
  const minutes = Math.round((Date.now() - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  return new Date(iso).toLocaleDateString();
}

/** The header bell: unread count (every 30 s and on window focus) and the notification centre. */
export function NotificationBell() {
  const can = useCan();
  if (!can('notifications.read')) return null;
  return <Bell />;
}

function Bell() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [opened, { toggle, close }] = useDisclosure(false);
  const count = useQuery({
    queryKey: countKey,
    queryFn: () => api.get<{ unread: number }>('/api/v1/notifications/unread-count'),
    refetchInterval: 30_000,
    refetchOnWindowFocus: true,
  });
  const list = useInfiniteQuery({
    queryKey: listKey,
    queryFn: ({ pageParam }) =>
      api.get<{ data: Notification[]; next: string | null }>(
        withQuery('/api/v1/notifications', { limit: 20, after: pageParam }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled: opened,
  });
  const markRead = useMutation({
    mutationFn: (ids?: string[]) =>
      api.post<{ unread: number }>('/api/v1/notifications/read', ids ? { ids } : {}),
    onSuccess: (result) => {
      queryClient.setQueryData(countKey, result);
      void queryClient.invalidateQueries({ queryKey: listKey });
    },
  });
  const unread = count.data?.unread ?? 0;
  const rows = list.data?.pages.flatMap((page) => page.data) ?? [];
  const label = unread > 0 ? `Notifications: ${unread >= 100 ? '99+' : unread} unread` : 'Notifications';

  const openOne = (notification: Notification) => {
    if (!notification.readAt) markRead.mutate([notification.id]);
    close();
    if (notification.itemId) navigate(`/items/${notification.itemId}`);
    else if (notification.problemId) navigate(`/problems/${notification.problemId}`);
  };

  return (
    <Popover
      opened={opened}
      onChange={(value) => !value && close()}
      position="bottom-end"
      width={360}
      shadow="md"
      withArrow
      trapFocus
      returnFocus
    >
      <Popover.Target>
        <Tooltip label={label} withArrow disabled={opened}>
          <Indicator
            label={unread >= 100 ? '99+' : unread}
            size={16}
            color="red"
            disabled={unread === 0}
            offset={4}
          >
            <ActionIcon
              variant="default"
              size="lg"
              aria-label={label}
              onClick={toggle}
              aria-expanded={opened}
            >
              <BellIcon />
            </ActionIcon>
          </Indicator>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown p={0}>
        <Group
          justify="space-between"
          px="sm"
          py={8}
          style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
        >
          <Text fw={600} size="sm">
            Notifications
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            disabled={unread === 0}
            loading={markRead.isPending}
            onClick={() => markRead.mutate(undefined)}
          >
            Mark all read
          </Button>
        </Group>
        <ScrollArea.Autosize mah={420} type="auto">
          {list.isPending && (
            <Center py="lg">
              <Loader size="sm" />
            </Center>
          )}
          {list.isError && (
            <Text size="sm" c="red" p="sm" role="alert">
              {errorMessage(list.error)}
            </Text>
          )}
          {list.isSuccess && rows.length === 0 && (
            <Text size="sm" c="dimmed" p="md" ta="center">
              Nothing yet. Assignments, mentions, customer replies, SLA warnings and escalations show up here.
            </Text>
          )}
          <Stack gap={0} role="list" aria-label="Notifications">
            {rows.map((notification) => (
              <UnstyledButton
                key={notification.id}
                role="listitem"
                onClick={() => openOne(notification)}
                px="sm"
                py={8}
                style={{
                  borderBottom: '1px solid var(--mantine-color-default-border)',
                  background: notification.readAt ? undefined : 'var(--mantine-color-indigo-light)',
                }}
              >
                <Group justify="space-between" gap={6} wrap="nowrap">
                  <Badge size="xs" variant="light" color={typeColors[notification.type] ?? 'indigo'}>
                    {typeLabels[notification.type]}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {ago(notification.createdAt)}
                  </Text>
                </Group>
                <Text size="sm" fw={notification.readAt ? 400 : 600} lineClamp={2} mt={4}>
                  {notification.title}
                </Text>
                {notification.body && (
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {notification.body}
                  </Text>
                )}
              </UnstyledButton>
            ))}
          </Stack>
          {list.hasNextPage && (
            <Center py={6}>
              <Button
                size="compact-xs"
                variant="subtle"
                loading={list.isFetchingNextPage}
                onClick={() => list.fetchNextPage()}
              >
                Older notifications
              </Button>
            </Center>
          )}
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}
