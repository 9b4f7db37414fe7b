import {
  Alert,
  Anchor,
  Button,
  Grid,
  Group,
  Menu,
  Select,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure, useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  canTransition,
  type Item,
  itemStatusLabels,
  ladderLevelLabels,
  openStatuses,
  priorities,
} from '../../shared/listening.ts';
import { ApiError, api } from '../app/api.ts';
import { useCan, useMe } from '../app/session.ts';
import { isNotFound, NotFound, QueryError } from '../app/ui.tsx';
import { ActionModals, type ActionRun, type Dialog } from './ActionModals.tsx';
import { afterItemWrite, itemKey, useItem, useItemAction, useStaff } from './api.ts';
import { KindBadge, LevelBadge, PriorityBadge, SlaBadges, StatusBadge } from './badges.tsx';
import { type ComposerMode, Conversation } from './Conversation.tsx';
import { EditItemModal } from './EditItemModal.tsx';
import { EventsDrawer } from './EventsDrawer.tsx';
import { ItemDetails, MergeModal, ProblemLink, Votes } from './ItemSide.tsx';
import { Observations } from './Observations.tsx';
import { TimeSpent } from './TimeSpent.tsx';
import { useNow } from './useNow.ts';

const done: Record<string, string> = {
  take: 'You own this item now.',
  assign: 'Assigned.',
  escalate: 'Escalated.',
  reply: 'Reply queued: its delivery shows on the conversation.',
  note: 'Note added.',
  resolve: 'Resolved. Now inform and thank the customer.',
  inform: 'Feedback recorded.',
  thank: 'Thank-you recorded.',
  close: 'Closed. The loop is closed.',
  reopen: 'Reopened.',
  observations: 'Observation recorded.',
  merge: 'Merged.',
  vote: 'Vote counted.',
};

export function ItemPage() {
  const { id = '' } = useParams();
  const item = useItem(id);
  if (item.isPending) return <Skeleton height={320} radius="md" />;
  if (item.isError && isNotFound(item.error))
    return (
      <NotFound
        title="Item not found"
        text="It does not exist in your workspace."
        backTo="/items"
        backLabel="Back to items"
      />
    );
  if (item.isError) return <QueryError error={item.error} onRetry={() => item.refetch()} />;
  return <ItemView item={item.data} />;
}

function ItemView({ item }: { item: Item }) {
  useDocumentTitle(`#${item.ref} ${item.subject} · Rapport`);
  const can = useCan();
  const me = useMe();
  const staff = useStaff();
  const now = useNow();
  const queryClient = useQueryClient();
  const action = useItemAction(item.id);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [mode, setMode] = useState<ComposerMode>('reply');
  const [historyOpened, history] = useDisclosure(false);
  const [mergeOpened, merge] = useDisclosure(false);
  const [editOpened, edit] = useDisclosure(false);
  const composer = useRef<HTMLTextAreaElement>(null);
  const canWrite = can('items.write');
  const owner = staff.find((u) => u.id === item.ownerId);
  const isOwner = item.ownerId !== null && item.ownerId === me.data?.user.id;
  const isOpen = openStatuses.includes(item.status);

  const run: ActionRun = async (name, body) => {
    try {
      const result = await action.mutateAsync({ action: name, body });
      setConflict(null);
      notifications.show({ color: 'teal', message: done[name] ?? 'Done.' });
      return result;
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && name !== 'close') setConflict(error.message);
      throw error;
    }
  };
  const quick = (name: string) => run(name).catch(() => undefined);
  const patch = async (changes: Partial<Pick<Item, 'priority' | 'status'>>) => {
    try {
      await api.patch(`/api/v1/items/${item.id}`, { ...changes, version: item.version });
      await afterItemWrite(queryClient, item.id);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) setConflict(error.message);
      else notifications.show({ color: 'red', message: (error as Error).message });
    }
  };
  const compose = (next: ComposerMode) => {
    setMode(next);
    requestAnimationFrame(() => composer.current?.focus());
  };
  const workingStatuses = (['acknowledged', 'in_progress', 'waiting_on_customer'] as const).filter(
    (status) => status === item.status || canTransition(item.status, status),
  );

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/items" size="sm">
        ← Items
      </Anchor>
      {conflict && (
        <Alert color="yellow" variant="light" title="Someone else changed this item" role="alert">
          <Group justify="space-between">
            <Text size="sm">{conflict} Reload to see the latest version, then try again.</Text>
            <Button
              size="xs"
              variant="default"
              onClick={async () => {
                await queryClient.invalidateQueries({ queryKey: itemKey(item.id) });
                setConflict(null);
              }}
            >
              Reload
            </Button>
          </Group>
        </Alert>
      )}
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap">
          <Text ff="monospace" c="dimmed" fw={600}>
            #{item.ref}
          </Text>
          <KindBadge kind={item.kind} />
          <StatusBadge status={item.status} />
          <PriorityBadge priority={item.priority} />
          <LevelBadge level={item.escalationLevel} />
          {item.rating !== null && (
            <Text
              size="sm"
              fw={600}
              title={item.ratingComment ? `Customer's comment: ${item.ratingComment}` : 'Rated in the portal'}
            >
              Customer rated{' '}
              <span aria-hidden="true">
                {'★'.repeat(item.rating)}
                {'☆'.repeat(5 - item.rating)}
              </span>{' '}
              {item.rating}/5
            </Text>
          )}
          {item.mergedIntoId && (
            <Anchor component={Link} to={`/items/${item.mergedIntoId}`} size="sm">
              Merged into another item →
            </Anchor>
          )}
        </Group>
        <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
          {item.subject}
        </Title>
        <Group gap="md" wrap="wrap">
          <Text size="sm">
            Owner:{' '}
            {item.ownerId ? (
              <b>{isOwner ? 'you' : (owner?.name ?? 'someone')}</b>
            ) : (
              <Text span c="orange" fw={600}>
                nobody yet
              </Text>
            )}
          </Text>
          <Text size="sm">Escalation: {ladderLevelLabels[item.escalationLevel]}</Text>
          <SlaBadges item={item} now={now} />
        </Group>
      </Stack>

      {canWrite && (
        <Group gap="xs" wrap="wrap" role="toolbar" aria-label="Item actions">
          {!isOwner && item.status !== 'closed' && (
            <Button
              size="sm"
              onClick={() => quick('take')}
              loading={action.isPending && action.variables?.action === 'take'}
            >
              Take
            </Button>
          )}
          {can('items.assign') && item.status !== 'closed' && (
            <Button size="sm" variant="default" onClick={() => setDialog('assign')}>
              Assign…
            </Button>
          )}
          {isOpen && item.escalationLevel !== 'executive' && (
            <Button size="sm" variant="default" onClick={() => setDialog('escalate')}>
              Escalate…
            </Button>
          )}
          <Button size="sm" variant="default" onClick={() => compose('reply')}>
            Reply
          </Button>
          <Button size="sm" variant="default" onClick={() => compose('note')}>
            Internal note
          </Button>
          {canTransition(item.status, 'resolved') && (
            <Button size="sm" variant="default" onClick={() => setDialog('resolve')}>
              Resolve…
            </Button>
          )}
          {item.status !== 'closed' && (
            <Button
              size="sm"
              variant={item.informedAt ? 'subtle' : 'default'}
              onClick={() => setDialog('inform')}
            >
              {item.informedAt ? 'Inform again…' : 'Inform…'}
            </Button>
          )}
          {item.status !== 'closed' && (
            <Button
              size="sm"
              variant={item.thankedAt ? 'subtle' : 'default'}
              onClick={() => setDialog('thank')}
            >
              {item.thankedAt ? 'Thank again…' : 'Thank…'}
            </Button>
          )}
          {canTransition(item.status, 'closed') && (
            <Button size="sm" color="teal" onClick={() => setDialog('close')}>
              Close…
            </Button>
          )}
          {canTransition(item.status, 'reopened') && (
            <Button size="sm" variant="default" color="orange" onClick={() => setDialog('reopen')}>
              Reopen…
            </Button>
          )}
          <Menu position="bottom-end" withArrow>
            <Menu.Target>
              <Button size="sm" variant="subtle">
                More
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={history.open}>History</Menu.Item>
              <Menu.Item onClick={edit.open}>Edit details…</Menu.Item>
              {can('items.merge') && item.status !== 'closed' && (
                <Menu.Item onClick={merge.open}>Merge a duplicate into this…</Menu.Item>
              )}
            </Menu.Dropdown>
          </Menu>
        </Group>
      )}
      {!canWrite && (
        <Button size="xs" variant="subtle" onClick={history.open} style={{ alignSelf: 'flex-start' }}>
          History
        </Button>
      )}

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Conversation
            ref={composer}
            item={item}
            run={run}
            staff={staff}
            mode={mode}
            onMode={setMode}
            canWrite={canWrite}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="sm">
            {canWrite && item.status !== 'closed' && (
              <Group gap="xs" grow>
                <Select
                  label="Status"
                  size="xs"
                  data={
                    workingStatuses.includes(item.status as never)
                      ? workingStatuses.map((s) => ({ value: s, label: itemStatusLabels[s] }))
                      : [
                          { value: item.status, label: itemStatusLabels[item.status] },
                          ...workingStatuses.map((s) => ({ value: s, label: itemStatusLabels[s] })),
                        ]
                  }
                  value={item.status}
                  onChange={(value) =>
                    value && value !== item.status && patch({ status: value as Item['status'] })
                  }
                  allowDeselect={false}
                />
                <Select
                  label="Priority"
                  size="xs"
                  data={priorities.map((p) => ({ value: p, label: p }))}
                  value={item.priority}
                  onChange={(value) =>
                    value && value !== item.priority && patch({ priority: value as Item['priority'] })
                  }
                  allowDeselect={false}
                />
              </Group>
            )}
            <ItemDetails item={item} now={now} />
            <TimeSpent item={item} canWrite={canWrite} />
            <Votes item={item} run={run} />
            <Observations item={item} run={run} staff={staff} canWrite={canWrite} />
            <ProblemLink item={item} onChanged={() => afterItemWrite(queryClient, item.id)} />
          </Stack>
        </Grid.Col>
      </Grid>
      <ActionModals item={item} dialog={dialog} onClose={() => setDialog(null)} run={run} staff={staff} />
      <EditItemModal item={item} opened={editOpened} onClose={edit.close} onConflict={setConflict} />
      <MergeModal item={item} opened={mergeOpened} onClose={merge.close} run={run} />
      <EventsDrawer itemId={item.id} opened={historyOpened} onClose={history.close} staff={staff} />
    </Stack>
  );
}
