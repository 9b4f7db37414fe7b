import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Category } from '../../shared/listening.ts';
import { api, errorMessage } from '../app/api.ts';
import { ConfirmModal, LoadMore, QueryError, TableSkeleton } from '../app/ui.tsx';
import { usePaged } from '../settings/paged.ts';
import { CategoryModal } from './CategoryModal.tsx';

export function CategoriesTab() {
  const queryClient = useQueryClient();
  const categories = usePaged<Category>('item-categories', '/api/v1/item-categories', {}, 100);
  const [editing, setEditing] = useState<Category | 'new' | null>(null);
  const [removing, setRemoving] = useState<Category | null>(null);
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    if (!removing) return;
    setBusy(true);
    try {
      await api.delete(`/api/v1/item-categories/${removing.id}`);
      notifications.show({ message: `Category ${removing.name} deleted.` });
      setRemoving(null);
      await queryClient.invalidateQueries({ queryKey: ['item-categories'] });
    } catch (error) {
      notifications.show({ color: 'red', title: 'Not deleted', message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" maw={640}>
          Categories are the products or areas an item is about. Each can ask for the same observations on
          every occurrence, so that the problem compare panel can find what the failing cases have in common.
        </Text>
        <Button onClick={() => setEditing('new')}>New category</Button>
      </Group>
      {categories.isPending ? (
        <TableSkeleton rows={3} />
      ) : categories.isError ? (
        <QueryError error={categories.error} onRetry={() => categories.refetch()} />
      ) : categories.items.length === 0 ? (
        <Paper withBorder radius="md" p="lg" ta="center">
          <Text fw={500}>No categories yet</Text>
          <Text size="sm" c="dimmed">
            Add one, e.g. "Car won't start" asking for time of day, fuel type, minutes parked and flavour
            bought.
          </Text>
        </Paper>
      ) : (
        <Stack gap="xs" aria-label="Categories">
          {categories.items.map((category) => (
            <Paper key={category.id} withBorder radius="md" p="sm">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={4} style={{ minWidth: 0 }}>
                  <Text fw={600}>{category.name}</Text>
                  {category.observationTemplate.length === 0 ? (
                    <Text size="xs" c="dimmed">
                      No observation template
                    </Text>
                  ) : (
                    <Group gap={4}>
                      {category.observationTemplate.map((field) => (
                        <Badge key={field.key} variant="light" color="gray" tt="none">
                          {field.label} · {field.type}
                          {field.type === 'choice' && field.choices?.length
                            ? ` (${field.choices.join(', ')})`
                            : ''}
                        </Badge>
                      ))}
                    </Group>
                  )}
                </Stack>
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="default" onClick={() => setEditing(category)}>
                    Edit
                  </Button>
                  <Button size="xs" variant="subtle" color="red" onClick={() => setRemoving(category)}>
                    Delete
                  </Button>
                </Group>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      <LoadMore {...categories} />
      {editing !== null && (
        <CategoryModal
          key={editing === 'new' ? 'new' : `${editing.id}:${editing.version}`}
          category={editing === 'new' ? null : editing}
          opened
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmModal
        opened={removing !== null}
        title={`Delete ${removing?.name ?? 'category'}?`}
        confirmLabel="Delete category"
        loading={busy}
        onClose={() => setRemoving(null)}
        onConfirm={remove}
      >
        Items of this category keep their observations but no longer have a category.
      </ConfirmModal>
    </Stack>
  );
}
