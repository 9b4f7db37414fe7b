import {
  Anchor,
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { addItemTimeInput, formatMinutes, setItemTimeInput } from '../../shared/item-time.ts';
import type { Item } from '../../shared/listening.ts';
import { ApiError, api, errorMessage } from '../app/api.ts';
import { FormError } from '../app/ui.tsx';
import { afterItemWrite } from './api.ts';

const quickMinutes = [5, 15, 30];

const sentence = (message: string) => {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
};

/** The message for one field from a zod result or the server's problem, else null. */
function fieldMessage(issues: { path: string; message: string }[], field: string) {
  const found = issues.find((issue) => issue.path === field || issue.path === `body.${field}`);
  return found ? sentence(found.message) : null;
}

/** POST (add minutes) or PUT (correct the total) /items/:id/time, then refresh the item and its history. */
function useTimeWrite(itemId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ method, body }: { method: 'post' | 'put'; body: unknown }) =>
      method === 'post'
        ? api.post<Item>(`/api/v1/items/${itemId}/time`, body)
        : api.put<Item>(`/api/v1/items/${itemId}/time`, body),
    onSettled: () =>
      Promise.all([
        afterItemWrite(queryClient, itemId),
        queryClient.invalidateQueries({ queryKey: ['items', 'events', itemId] }),
        // The cost metrics price the item with its recorded time.
        queryClient.invalidateQueries({ queryKey: ['metrics'] }),
      ]),
  });
}

function CorrectTimeModal({ item, opened, onClose }: { item: Item; opened: boolean; onClose: () => void }) {
  const write = useTimeWrite(item.id);
  const [total, setTotal] = useState<number | string>(item.handlingMinutes ?? '');
  const [reason, setReason] = useState('');
  const [issues, setIssues] = useState<{ path: string; message: string }[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = { totalMinutes: total === '' ? null : total, reason, version: item.version };
    const parsed = setItemTimeInput.safeParse(body);
    if (!parsed.success) {
      setIssues(parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
      return;
    }
    try {
      await write.mutateAsync({ method: 'put', body: parsed.data });
      notifications.show({ color: 'teal', message: 'Recorded time corrected.' });
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.errors.length > 0) setIssues(error.errors);
      else setFormError(errorMessage(error));
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Correct the recorded time" centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError message={formError} />
          <NumberInput
            label="Total minutes"
            description="Leave empty to clear it: the cost metrics then use the channel's estimate."
            min={0}
            allowDecimal={false}
            value={total}
            onChange={setTotal}
            error={fieldMessage(issues, 'totalMinutes')}
            data-autofocus
          />
          <TextInput
            label="Reason"
            placeholder="e.g. Typed 600 for 60"
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={fieldMessage(issues, 'reason')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={write.isPending}>
              Save correction
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * Staff time spent on the item: quick "+5 min" buttons and a field. Entries add up (two people
 * adding at once both count); the total prices the item in the cost metrics.
 */
export function TimeSpent({ item, canWrite }: { item: Item; canWrite: boolean }) {
  const write = useTimeWrite(item.id);
  const [minutes, setMinutes] = useState<number | string>('');
  const [error, setError] = useState<string | null>(null);
  const [correcting, setCorrecting] = useState(false);

  const add = async (value: number | string) => {
    setError(null);
    const parsed = addItemTimeInput.safeParse({ minutes: value === '' ? undefined : value });
    if (!parsed.success) {
      setError(sentence(parsed.error.issues[0]!.message));
      return;
    }
    try {
      const updated = await write.mutateAsync({ method: 'post', body: parsed.data });
      setMinutes('');
      notifications.show({
        color: 'teal',
        message: `Added ${formatMinutes(parsed.data.minutes)}. Time spent: ${formatMinutes(updated.handlingMinutes ?? 0)}.`,
      });
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.errors.length > 0
          ? (fieldMessage(failure.errors, 'minutes') ?? failure.message)
          : errorMessage(failure),
      );
    }
  };

  return (
    <Card withBorder padding="sm" radius="md" component="section" aria-labelledby={`time-${item.id}`}>
      <Stack gap="xs">
        <Group justify="space-between" gap="xs">
          <Title order={2} size="h6" id={`time-${item.id}`}>
            Time spent
          </Title>
          <Text fw={700} data-testid="time-spent">
            {item.handlingMinutes === null ? 'None recorded' : formatMinutes(item.handlingMinutes)}
          </Text>
        </Group>
        {item.handlingMinutes === null && (
          <Text size="xs" c="dimmed">
            Until time is recorded, the cost metrics use the estimate for this channel.
          </Text>
        )}
        {canWrite && (
          <>
            <Group gap={6}>
              {quickMinutes.map((value) => (
                <Button
                  key={value}
                  size="compact-sm"
                  variant="light"
                  onClick={() => add(value)}
                  disabled={write.isPending}
                >
                  +{value} min
                </Button>
              ))}
            </Group>
            <form
              onSubmit={(event) => {
                event.preventDefault();
                void add(minutes);
              }}
              noValidate
            >
              <Group gap={6} align="flex-start" wrap="nowrap">
                <NumberInput
                  size="xs"
                  aria-label="Minutes spent"
                  placeholder="Minutes"
                  min={1}
                  allowDecimal={false}
                  value={minutes}
                  onChange={(value) => {
                    setMinutes(value);
                    setError(null);
                  }}
                  error={error}
                  style={{ flex: 1 }}
                />
                <Button size="xs" type="submit" variant="default" loading={write.isPending}>
                  Add
                </Button>
              </Group>
            </form>
            {item.handlingMinutes !== null && (
              <Anchor component="button" type="button" size="xs" onClick={() => setCorrecting(true)}>
                Correct the total…
              </Anchor>
            )}
          </>
        )}
      </Stack>
      {correcting && <CorrectTimeModal item={item} opened onClose={() => setCorrecting(false)} />}
    </Card>
  );
}
