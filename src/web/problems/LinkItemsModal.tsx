import {
  Button,
  Checkbox,
  Group,
  Loader,
  Modal,
  ScrollArea,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type Item, itemKindLabels } from '../../shared/listening.ts';
import { api, errorMessage, withQuery } from '../app/api.ts';
import { FormError } from '../app/ui.tsx';
import type { Page } from '../settings/paged.ts';
import { ItemStatusBadge } from './badges.tsx';

/** "#1042" or "1042" searches by reference; other text searches subjects. */
function searchParams(text: string): Record<string, string> {
  const trimmed = text.trim();
  if (!trimmed) return {};
  return { q: trimmed.replace(/^#(?=\d+$)/, '') };
}

function useItemSearch(text: string) {
  const [debounced] = useDebouncedValue(text, 250);
  return useQuery({
    queryKey: ['items', 'link-search', debounced],
    queryFn: () => api.get<Page<Item>>(withQuery('/api/v1/items', { ...searchParams(debounced), limit: 30 })),
    enabled: debounced.trim().length > 0,
  });
}

export function LinkItemsModal({
  problemId,
  opened,
  onClose,
}: {
  problemId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const search = useItemSearch(text);
  const results = search.data?.data ?? [];
  const close = () => {
    setText('');
    setSelected(new Set());
    setError(null);
    onClose();
  };
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const link = async () => {
    setSaving(true);
    setError(null);
    try {
      await api.post(`/api/v1/problems/${problemId}/items`, { itemIds: [...selected] });
      await queryClient.invalidateQueries({ queryKey: ['problems'] });
      await queryClient.invalidateQueries({ queryKey: ['problem-items'] });
      notifications.show({
        color: 'teal',
        message: `${selected.size} item${selected.size === 1 ? '' : 's'} linked.`,
      });
      close();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title="Link items to this problem" size="xl" centered>
      <Stack>
        <TextInput
          label="Find items"
          placeholder="#1042 or words in the subject"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          rightSection={search.isFetching ? <Loader size="xs" /> : null}
          data-autofocus
        />
        <FormError message={error} />
        {search.isError && <FormError message={errorMessage(search.error)} />}
        {text.trim() && search.isSuccess && results.length === 0 && (
          <Text size="sm" c="dimmed">
            No items match "{text.trim()}".
          </Text>
        )}
        {results.length > 0 && (
          <ScrollArea.Autosize mah={360}>
            <Table verticalSpacing={6} highlightOnHover>
              <Table.Tbody>
                {results.map((item) => {
                  const elsewhere = item.problemId !== null && item.problemId !== problemId;
                  const here = item.problemId === problemId;
                  return (
                    <Table.Tr key={item.id}>
                      <Table.Td w={36}>
                        <Checkbox
                          aria-label={`Select #${item.ref} ${item.subject}`}
                          checked={here || selected.has(item.id)}
                          disabled={here}
                          onChange={() => toggle(item.id)}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          <Text span c="dimmed">
                            #{item.ref}{' '}
                          </Text>
                          {item.subject}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {itemKindLabels[item.kind]} ·{' '}
                          {item.personName ?? item.reporterName ?? 'Unknown customer'}
                          {here && ' · already linked'}
                          {elsewhere && ' · linked to another problem'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <ItemStatusBadge status={item.status} />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button onClick={link} loading={saving} disabled={selected.size === 0}>
            Link {selected.size > 0 ? selected.size : ''} item{selected.size === 1 ? '' : 's'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
