import { ActionIcon, Button, Group, Menu, Modal, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { SavedView } from '../../../shared/views.ts';
import { api, errorMessage } from '../../app/api.ts';
import { useMe } from '../../app/session.ts';
import { FormError } from '../../app/ui.tsx';
import type { ListParams, Page } from '../api.ts';

/** The list parameters a view keeps (strings or lists of strings; anything else is dropped). */
export function viewParams(view: SavedView): ListParams {
  const params: ListParams = {};
  for (const [key, value] of Object.entries(view.query)) {
    if (typeof value === 'string') params[key] = value;
    else if (Array.isArray(value))
      params[key] = value.filter((item): item is string => typeof item === 'string');
    else if (typeof value === 'number' || typeof value === 'boolean') params[key] = String(value);
  }
  return params;
}

export function SavedViewsMenu({
  entity,
  params,
  columns,
  onApply,
}: {
  entity: 'person' | 'organization' | 'item';
  params: ListParams;
  columns: string[];
  onApply: (view: SavedView) => void;
}) {
  const queryClient = useQueryClient();
  const key = ['views', entity];
  const views = useQuery({
    queryKey: key,
    queryFn: async () => (await api.get<Page<SavedView>>(`/api/v1/views?entity=${entity}&limit=200`)).data,
  });
  const me = useMe();
  const [saveOpened, save] = useDisclosure(false);
  const remove = useMutation({
    mutationFn: (view: SavedView) => api.delete(`/api/v1/views/${view.id}`),
    onSuccess: (_, view) => {
      queryClient.invalidateQueries({ queryKey: key });
      notifications.show({ message: `View "${view.name}" deleted.` });
    },
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error) }),
  });
  const list = views.data ?? [];

  return (
    <>
      <Menu position="bottom-end" withArrow shadow="md" width={280}>
        <Menu.Target>
          <Button variant="default">Views</Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Saved views</Menu.Label>
          {views.isError && (
            <Text size="xs" c="dimmed" px="sm" py={4}>
              Could not load the saved views.
            </Text>
          )}
          {!views.isError && list.length === 0 && (
            <Text size="xs" c="dimmed" px="sm" py={4}>
              No saved views yet.
            </Text>
          )}
          {list.map((view) => (
            <Group key={view.id} gap={0} wrap="nowrap">
              <Menu.Item onClick={() => onApply(view)} style={{ flex: 1 }}>
                <Text size="sm" truncate>
                  {view.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {view.shared ? 'Shared with the team' : 'Only you'}
                </Text>
              </Menu.Item>
              {view.ownerId === me.data?.user.id && (
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Delete view ${view.name}`}
                  onClick={() => remove.mutate(view)}
                  mr={4}
                >
                  ×
                </ActionIcon>
              )}
            </Group>
          ))}
          <Menu.Divider />
          <Menu.Item onClick={save.open} disabled={views.isError}>
            Save current view…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <SaveViewModal
        opened={saveOpened}
        onClose={save.close}
        entity={entity}
        params={params}
        columns={columns}
        onSaved={() => queryClient.invalidateQueries({ queryKey: key })}
      />
    </>
  );
}

function SaveViewModal({
  opened,
  onClose,
  entity,
  params,
  columns,
  onSaved,
}: {
  opened: boolean;
  onClose: () => void;
  entity: string;
  params: ListParams;
  columns: string[];
  onSaved: () => void;
}) {
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api.post('/api/v1/views', { entity, name: name.trim(), shared, query: params, columns }),
    onSuccess: () => {
      onSaved();
      notifications.show({ message: `View "${name.trim()}" saved.` });
      setName('');
      onClose();
    },
    onError: (err) => setError(errorMessage(err)),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setError('Give the view a name.');
    setError(null);
    create.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Save this view" centered>
      <form onSubmit={submit}>
        <Stack>
          <FormError message={error} />
          <TextInput
            label="Name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-autofocus
          />
          <Switch
            label="Share with the whole workspace"
            checked={shared}
            onChange={(e) => setShared(e.currentTarget.checked)}
          />
          <Text size="xs" c="dimmed">
            Saves the current search, filters, sort and visible columns.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Save view
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
