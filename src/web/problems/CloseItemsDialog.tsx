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
  const ready = open.filter((item) => item.informedAt && item.thankedAt).length;
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
          (skipped > 0 ? ` ${skipped} not closed: not yet informed and thanked.` : ''),
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
        <Text size="sm">
          {open.length === 0
            ? 'Every linked item is already closed.'
            : `${ready} of the ${open.length} open linked item${open.length === 1 ? ' has' : 's have'} a customer who was informed and thanked; ${ready === 1 ? 'it is' : 'they are'} closed.`}
        </Text>
        <TextInput
          label="Reason for closing the others"
          description="Optional. With a reason, items not yet informed or thanked are closed too, and reported as closed with that reason."
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
          <Button onClick={submit} loading={saving} disabled={open.length === 0}>
            {reason.trim() ? `Close all ${open.length}` : `Close ${ready}`}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
