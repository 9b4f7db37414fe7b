import { Button, Group, Modal, Paper, Select, Stack, TagsInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, errorMessage } from '../app/api.ts';
import { useCan } from '../app/session.ts';
import { FormError } from '../app/ui.tsx';
import { afterItemWrite, useStaff } from './api.ts';

type Action = 'take' | 'assign' | 'add_tags' | 'remove_tags';
const done: Record<Action, string> = {
  take: 'Taken',
  assign: 'Assigned',
  add_tags: 'Tags added',
  remove_tags: 'Tags removed',
};

/** Take, assign or tag the selected items at once. */
export function BulkItemsBar({ ids, onClear }: { ids: string[]; onClear: () => void }) {
  const can = useCan();
  const staff = useStaff();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<'assign' | 'add_tags' | 'remove_tags' | null>(null);
  const [userId, setUserId] = useState<string | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const bulk = useMutation({
    mutationFn: (body: { action: Action; userId?: string; tags?: string[] }) =>
      api.post<unknown>('/api/v1/items/bulk', { ids, ...body }),
    onSuccess: async (_, body) => {
      await afterItemWrite(queryClient);
      notifications.show({
        color: 'teal',
        message: `${done[body.action]}: ${ids.length} item${ids.length === 1 ? '' : 's'}.`,
      });
      setDialog(null);
      onClear();
    },
  });
  const close = () => {
    setDialog(null);
    bulk.reset();
  };
  const count = `${ids.length} item${ids.length === 1 ? '' : 's'}`;
  return (
    <Paper withBorder p="xs" radius="md" role="region" aria-label="Bulk actions">
      <Group gap="xs" justify="space-between">
        <Text size="sm" fw={600}>
          {count} selected
        </Text>
        <Group gap="xs">
          <Button
            size="xs"
            variant="light"
            onClick={() => bulk.mutate({ action: 'take' })}
            loading={bulk.isPending && !dialog}
          >
            Take
          </Button>
          {can('items.assign') && (
            <Button size="xs" variant="default" onClick={() => setDialog('assign')}>
              Assign…
            </Button>
          )}
          <Button size="xs" variant="default" onClick={() => setDialog('add_tags')}>
            Add tags…
          </Button>
          <Button size="xs" variant="default" onClick={() => setDialog('remove_tags')}>
            Remove tags…
          </Button>
          {can('problems.write') && (
            <Button size="xs" variant="default" component={Link} to={`/problems/new?items=${ids.join(',')}`}>
              New problem from these…
            </Button>
          )}
          <Button size="xs" variant="subtle" onClick={onClear}>
            Clear selection
          </Button>
        </Group>
      </Group>
      {bulk.isError && !dialog && <FormError message={errorMessage(bulk.error)} />}
      <Modal
        opened={dialog !== null}
        onClose={close}
        title={
          dialog === 'assign' ? `Assign ${count}` : dialog === 'add_tags' ? `Tag ${count}` : `Untag ${count}`
        }
      >
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (dialog === 'assign' && userId) bulk.mutate({ action: 'assign', userId });
            if (dialog !== 'assign' && dialog && tags.length > 0) bulk.mutate({ action: dialog, tags });
          }}
        >
          <Stack>
            <FormError message={bulk.isError ? errorMessage(bulk.error) : null} />
            {dialog === 'assign' ? (
              <Select
                label="Assign to"
                data={staff.map((u) => ({ value: u.id, label: u.name }))}
                value={userId}
                onChange={setUserId}
                searchable
                data-autofocus
              />
            ) : (
              <TagsInput label="Tags" value={tags} onChange={setTags} data-autofocus />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button
                type="submit"
                loading={bulk.isPending}
                disabled={dialog === 'assign' ? !userId : tags.length === 0}
              >
                Apply to {count}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Paper>
  );
}
