import {
  ActionIcon,
  Badge,
  Button,
  Code,
  Group,
  Stack,
  Table,
  Tabs,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  type CustomField,
  type CustomFieldEntity,
  customFieldTypeLabels,
} from '../../shared/custom-fields.ts';
import { api, errorMessage, withQuery } from '../app/api.ts';
import { ListIcon } from '../app/icons.tsx';
import { ConfirmModal, PageHeader, QueryError, TableSkeleton } from '../app/ui.tsx';
import { CustomFieldModal } from './CustomFieldModal.tsx';

const entityNames: Record<CustomFieldEntity, string> = { person: 'people', organization: 'organizations' };

function FieldsTable({ entity }: { entity: CustomFieldEntity }) {
  const queryClient = useQueryClient();
  const queryKey = ['custom-fields', entity];
  const fields = useQuery({
    queryKey,
    queryFn: () => api.get<{ data: CustomField[] }>(withQuery('/api/v1/custom-fields', { entity })),
  });
  const [editing, setEditing] = useState<CustomField | 'new' | null>(null);
  const [deleting, setDeleting] = useState<CustomField | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['custom-fields'] });

  const remove = useMutation({
    mutationFn: (field: CustomField) => api.delete(`/api/v1/custom-fields/${field.id}`),
    onSuccess: (_, field) => notifications.show({ color: 'teal', message: `“${field.label}” was deleted.` }),
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Not deleted', message: errorMessage(error) }),
    onSettled: () => {
      setDeleting(null);
      return refresh();
    },
  });

  /** Moves a field up or down: positions are renumbered 0, 1, 2… and only changed ones are saved. */
  const move = useMutation({
    mutationFn: async ({ list, index, by }: { list: CustomField[]; index: number; by: -1 | 1 }) => {
      const order = [...list];
      [order[index], order[index + by]] = [order[index + by]!, order[index]!];
      for (const [position, field] of order.entries()) {
        if (field.position !== position) {
          await api.patch(`/api/v1/custom-fields/${field.id}`, { position, version: field.version });
        }
      }
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Not moved', message: errorMessage(error) }),
    onSettled: refresh,
  });

  let content: React.ReactNode;
  if (fields.isPending) content = <TableSkeleton rows={3} />;
  else if (fields.isError) content = <QueryError error={fields.error} onRetry={() => fields.refetch()} />;
  else if (fields.data.data.length === 0)
    content = (
      <Stack align="center" gap="xs" py="xl" c="dimmed">
        <ListIcon size={32} />
        <Text>No custom fields for {entityNames[entity]} yet.</Text>
      </Stack>
    );
  else {
    const list = fields.data.data;
    content = (
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Label</Table.Th>
              <Table.Th>Key</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Options</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((field, index) => (
              <Table.Tr key={field.id}>
                <Table.Td fw={500}>{field.label}</Table.Td>
                <Table.Td>
                  <Code>{field.key}</Code>
                </Table.Td>
                <Table.Td>{customFieldTypeLabels[field.type]}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {field.options.map((option) => (
                      <Badge key={option} variant="light" tt="none">
                        {option}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <ActionIcon
                      variant="subtle"
                      aria-label={`Move ${field.label} up`}
                      disabled={index === 0 || move.isPending}
                      onClick={() => move.mutate({ list, index, by: -1 })}
                    >
                      ↑
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      aria-label={`Move ${field.label} down`}
                      disabled={index === list.length - 1 || move.isPending}
                      onClick={() => move.mutate({ list, index, by: 1 })}
                    >
                      ↓
                    </ActionIcon>
                    <Button
                      size="xs"
                      variant="light"
                      onClick={() => setEditing(field)}
                      aria-label={`Edit ${field.label}`}
                    >
                      Edit
                    </Button>
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      onClick={() => setDeleting(field)}
                      aria-label={`Delete ${field.label}`}
                    >
                      Delete
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  return (
    <Stack>
      <Group justify="flex-end">
        <Button onClick={() => setEditing('new')}>Add a field for {entityNames[entity]}</Button>
      </Group>
      {content}
      {editing !== null && (
        <CustomFieldModal
          opened
          entity={entity}
          field={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            notifications.show({ color: 'teal', message: `“${saved.label}” was saved.` });
            return refresh();
          }}
        />
      )}
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title="Delete this custom field?"
        confirmLabel="Delete field"
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
      >
        “{deleting?.label}” and its value on every one of your {entityNames[entity]} are removed. This cannot
        be undone.
      </ConfirmModal>
    </Stack>
  );
}

export function CustomFieldsPage() {
  return (
    <>
      <PageHeader
        title="Custom fields"
        description="Extra fields for people and organizations, shown and editable everywhere they appear."
      />
      <Tabs defaultValue="person" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="person">People</Tabs.Tab>
          <Tabs.Tab value="organization">Organizations</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="person">
          <FieldsTable entity="person" />
        </Tabs.Panel>
        <Tabs.Panel value="organization">
          <FieldsTable entity="organization" />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
