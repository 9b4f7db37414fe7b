import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Item } from '../../shared/listening.ts';
import { api, errorMessage } from '../app/api.ts';
import { FormError } from '../app/ui.tsx';

type CloseOutcome = { closed?: number; skipped?: number };

/** Closes the linked items in bulk: those informed and thanked, or all of them with a reason. */
export function CloseItemsDialog({
  problemId,
  items,
  opened,
  onClose,
}: {
  problemId: string;
  items: Item[];
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const open = items.filter((item) => item.status !== 'closed');
  const resolved = open.filter((item) => item.status === 'resolved');
  const ready = resolved.filter((item) => item.informedAt && item.thankedAt).length;
  const count = reason.trim() ? resolved.length : ready;
  const close = () => {
    setReason('');
    setError(null);
    onClose();
  };
  const submit = async () => {
    setSaving(true);
    setError(null);
    try {
      const trimmed = reason.trim();
      const outcome = await api.post<CloseOutcome>(
        `/api/v1/problems/${problemId}/close-items`,
        trimmed ? { reason: trimmed } : {},
      );
      const closed = outcome?.closed ?? 0;
      const skipped = outcome?.skipped ?? 0;
      notifications.show({
        color: closed > 0 ? 'teal' : 'orange',
        message:
          `${closed} item${closed === 1 ? '' : 's'} closed.` +
          (skipped > 0 ? ` ${skipped} left open: not resolved, or not yet informed and thanked.` : ''),
      });
      await queryClient.invalidateQueries({ queryKey: ['problems'] });
      await queryClient.invalidateQueries({ queryKey: ['problem-items'] });
      close();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal opened={opened} onClose={close} title="Close linked items" centered size="lg">
      <Stack>
        {open.length === 0 ? (
          <Text size="sm">Every linked item is already closed.</Text>
        ) : (
          <Text size="sm">
            {ready} of the {open.length} open linked items {ready === 1 ? 'is' : 'are'} resolved with the
            customer informed and thanked: {ready === 1 ? 'it is' : 'they are'} closed. With a reason, all{' '}
            {resolved.length} resolved items are closed and reported with that reason.
            {open.length > resolved.length && ` ${open.length - resolved.length} not resolved yet stay open.`}
          </Text>
        )}
        <TextInput
          label="Reason for closing the others"
          description="Optional. With a reason, resolved items whose customer was not thanked (or informed) are closed too."
          placeholder="e.g. informed of the fix by email; no thanks needed"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          maxLength={2000}
        />
        <FormError message={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button onClick={submit} loading={saving} disabled={count === 0}>
            Close {count} item{count === 1 ? '' : 's'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
