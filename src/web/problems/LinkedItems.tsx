import { ActionIcon, Button, Center, Group, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type Item, itemKindLabels } from '../../shared/listening.ts';
import { api, errorMessage } from '../app/api.ts';
import { CheckIcon } from '../app/icons.tsx';
import { useCan } from '../app/session.ts';
import { ConfirmModal, LoadMore, QueryError, TableSkeleton } from '../app/ui.tsx';
import { useProblemItems } from './api.ts';
import { ItemRefLink, ItemStatusBadge, SlaText } from './badges.tsx';
import { LinkItemsModal } from './LinkItemsModal.tsx';

function Done({ at, label }: { at: string | null; label: string }) {
  return at ? (
    <Tooltip label={`${label} ${new Date(at).toLocaleString()}`} withArrow>
      <Text c="teal" component="span" aria-label={`${label}: yes`}>
        <CheckIcon size={16} />
      </Text>
    </Tooltip>
  ) : (
    <Text size="sm" c="dimmed" aria-label={`${label}: not yet`}>
      —
    </Text>
  );
}

/** Once fixed, the set of items is what the customers were told about: no more linking or unlinking. */
export function LinkedItems({ problemId, fixed }: { problemId: string; fixed: boolean }) {
  const can = useCan();
  const editable = can('problems.write') && !fixed;
  const queryClient = useQueryClient();
  const items = useProblemItems(problemId);
  const [linking, linkDialog] = useDisclosure(false);
  const [unlinking, setUnlinking] = useState<Item | null>(null);
  const [busy, setBusy] = useState(false);
  const now = Date.now();

  const unlink = async () => {
    if (!unlinking) return;
    setBusy(true);
    try {
      await api.delete(`/api/v1/problems/${problemId}/items/${unlinking.id}`);
      await queryClient.invalidateQueries({ queryKey: ['problems'] });
      await queryClient.invalidateQueries({ queryKey: ['problem-items'] });
      notifications.show({ message: `#${unlinking.ref} is no longer linked.` });
      setUnlinking(null);
    } catch (error) {
      notifications.show({ color: 'red', title: 'Not unlinked', message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          Linked items
        </Title>
        {editable && (
          <Button variant="light" size="xs" onClick={linkDialog.open}>
            Link items
          </Button>
        )}
      </Group>
      {items.isPending ? (
        <TableSkeleton rows={3} />
      ) : items.isError ? (
        <QueryError error={items.error} onRetry={() => items.refetch()} />
      ) : items.items.length === 0 ? (
        <Center py="lg">
          <Stack gap={4} align="center" ta="center">
            <Text fw={500}>No items linked yet</Text>
            <Text size="sm" c="dimmed">
              Link the items that share this root cause; their customers are told when it is fixed.
            </Text>
          </Stack>
        </Center>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs" highlightOnHover aria-label="Linked items">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Item</Table.Th>
                <Table.Th>Customer</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>SLA</Table.Th>
                <Table.Th ta="center">Informed</Table.Th>
                <Table.Th ta="center">Thanked</Table.Th>
                {editable && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.items.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>
                    <ItemRefLink item={item} detail={itemKindLabels[item.kind]} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{item.personName ?? item.reporterName ?? item.reporterEmail ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <ItemStatusBadge status={item.status} />
                  </Table.Td>
                  <Table.Td>
                    <SlaText item={item} now={now} />
                  </Table.Td>
                  <Table.Td ta="center">
                    <Done at={item.informedAt} label="Informed" />
                  </Table.Td>
                  <Table.Td ta="center">
                    <Done at={item.thankedAt} label="Thanked" />
                  </Table.Td>
                  {editable && (
                    <Table.Td ta="right">
                      <Tooltip label="Unlink from this problem" withArrow>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          aria-label={`Unlink #${item.ref}`}
                          onClick={() => setUnlinking(item)}
                        >
                          ×
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore {...items} />
      <LinkItemsModal problemId={problemId} opened={linking} onClose={linkDialog.close} />
      <ConfirmModal
        opened={unlinking !== null}
        title={unlinking ? `Unlink #${unlinking.ref}?` : 'Unlink'}
        confirmLabel="Unlink"
        loading={busy}
        onClose={() => setUnlinking(null)}
        onConfirm={unlink}
      >
        The item stays as it is but is no longer part of this problem: its customer will not be told when the
        problem is fixed.
      </ConfirmModal>
    </Paper>
  );
}
