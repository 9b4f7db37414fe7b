import { Button, Group, Menu, Modal, Paper, Select, Stack, TagsInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { BulkAction, BulkPeopleInput, Stage } from '../../../shared/people.ts';
import { api, errorMessage } from '../../app/api.ts';
import { useCan } from '../../app/session.ts';
import { ConfirmModal } from '../../app/ui.tsx';
import { useUsers } from '../api.ts';
import { stageOptions } from '../stage.tsx';

type BulkBody = Omit<BulkPeopleInput, 'ids'>;

const done: Record<BulkAction, string> = {
  addTags: 'Tags added',
  removeTags: 'Tags removed',
  setOwner: 'Owner set',
  setStage: 'Stage set',
  delete: 'Deleted',
  restore: 'Restored',
};

/** Actions on the selected rows of the people list. */
export function BulkBar({
  ids,
  onClear,
  onExport,
}: {
  ids: string[];
  onClear: () => void;
  onExport: () => void;
}) {
  const can = useCan();
  const users = useUsers();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<'addTags' | 'removeTags' | 'setOwner' | 'setStage' | 'delete' | null>(
    null,
  );
  const [tags, setTags] = useState<string[]>([]);
  const [value, setValue] = useState<string | null>(null);

  const bulk = useMutation({
    mutationFn: (body: BulkBody & { ids: string[] }) => api.post('/api/v1/people/bulk', body),
    onSuccess: (_, body) => {
      queryClient.invalidateQueries({ queryKey: ['people'] });
      const count = body.ids.length;
      const message = `${done[body.action]}: ${count} ${count === 1 ? 'person' : 'people'}.`;
      if (body.action === 'delete') {
        const notificationId = notifications.show({
          message: (
            <Group justify="space-between" wrap="nowrap">
              <Text size="sm">{message}</Text>
              <Button
                size="compact-xs"
                variant="light"
                onClick={() => {
                  notifications.hide(notificationId);
                  bulk.mutate({ ids: body.ids, action: 'restore' });
                }}
              >
                Undo
              </Button>
            </Group>
          ),
          autoClose: 10_000,
        });
      } else notifications.show({ message });
      setDialog(null);
      setTags([]);
      setValue(null);
      if (body.action === 'delete') onClear();
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Bulk action failed', message: errorMessage(error) }),
  });
  const run = (body: BulkBody) => bulk.mutate({ ...body, ids });
  const count = `${ids.length} selected`;

  return (
    <Paper withBorder p="xs" radius="md" role="region" aria-label="Bulk actions">
      <Group gap="xs" wrap="wrap">
        <Text size="sm" fw={600} px="xs">
          {count}
        </Text>
        {can('people.write') && (
          <Menu withArrow>
            <Menu.Target>
              <Button size="xs" variant="default">
                Edit…
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => setDialog('addTags')}>Add tags</Menu.Item>
              <Menu.Item onClick={() => setDialog('removeTags')}>Remove tags</Menu.Item>
              <Menu.Item onClick={() => setDialog('setOwner')} disabled={users.length === 0}>
                Set owner
              </Menu.Item>
              <Menu.Item onClick={() => setDialog('setStage')}>Set stage</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        )}
        {can('people.export') && (
          <Button size="xs" variant="default" onClick={onExport}>
            Export selected
          </Button>
        )}
        {can('people.delete') && (
          <Button size="xs" variant="light" color="red" onClick={() => setDialog('delete')}>
            Delete
          </Button>
        )}
        <Button size="xs" variant="subtle" onClick={onClear}>
          Clear selection
        </Button>
      </Group>

      <ConfirmModal
        opened={dialog === 'delete'}
        title={`Delete ${ids.length === 1 ? 'this person' : `${ids.length} people`}?`}
        confirmLabel="Delete"
        loading={bulk.isPending}
        onClose={() => setDialog(null)}
        onConfirm={() => run({ action: 'delete' })}
      >
        They disappear from lists and search. You can undo right after, and an admin or manager can restore
        them for 30 days from People → More → Recently deleted.
      </ConfirmModal>

      <Modal
        opened={dialog === 'addTags' || dialog === 'removeTags'}
        onClose={() => setDialog(null)}
        title={dialog === 'addTags' ? 'Add tags' : 'Remove tags'}
        centered
      >
        <Stack>
          <TagsInput
            label="Tags"
            placeholder="Type a tag, Enter"
            value={tags}
            onChange={setTags}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button
              disabled={tags.length === 0}
              loading={bulk.isPending}
              onClick={() => dialog && run({ action: dialog as BulkAction, tags })}
            >
              {dialog === 'addTags' ? 'Add to' : 'Remove from'} {count.replace(' selected', '')}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal
        opened={dialog === 'setOwner' || dialog === 'setStage'}
        onClose={() => setDialog(null)}
        title={dialog === 'setOwner' ? 'Set owner' : 'Set stage'}
        centered
      >
        <Stack>
          <Select
            label={dialog === 'setOwner' ? 'Owner' : 'Stage'}
            data={
              dialog === 'setOwner'
                ? users.map((user) => ({ value: user.id, label: user.name }))
                : stageOptions
            }
            value={value}
            onChange={setValue}
            searchable
            data-autofocus
          />
          <Group justify="flex-end">
            <Button
              disabled={!value}
              loading={bulk.isPending}
              onClick={() =>
                value &&
                run(
                  dialog === 'setOwner'
                    ? { action: 'setOwner', ownerId: value }
                    : { action: 'setStage', stage: value as Stage },
                )
              }
            >
              Apply
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
