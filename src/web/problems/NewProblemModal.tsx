import { Button, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { createProblemInput, type ProblemRecord } from '../../shared/problems.ts';
import { api } from '../app/api.ts';
import { useZodForm } from '../app/form.ts';
import { useMe } from '../app/session.ts';
import { FormError } from '../app/ui.tsx';
import { useStaff } from './api.ts';

/** Creates a problem, optionally linking a selection of items at once (from /problems/new?items=). */
export function NewProblemForm({
  itemIds,
  onCancel,
  onCreated,
}: {
  itemIds: string[];
  onCancel: () => void;
  onCreated?: () => void;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: me } = useMe();
  const staff = useStaff();
  const form = useZodForm(createProblemInput, {
    title: '',
    hypothesis: '',
    ownerId: me?.user.id,
    itemIds,
  });
  const submit = form.onSubmit(async (values) => {
    const created = await api.post<ProblemRecord>('/api/v1/problems', values);
    await queryClient.invalidateQueries({ queryKey: ['problems'] });
    await queryClient.invalidateQueries({ queryKey: ['items'] });
    notifications.show({
      color: 'teal',
      message:
        itemIds.length > 0
          ? `Problem created with ${itemIds.length} linked item${itemIds.length === 1 ? '' : 's'}.`
          : 'Problem created.',
    });
    onCreated?.();
    navigate(`/problems/${created.id}`);
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError message={form.formError} />
        {itemIds.length > 0 && (
          <Text size="sm">
            {itemIds.length} selected item{itemIds.length === 1 ? '' : 's'} will be linked to the new problem.
          </Text>
        )}
        <TextInput
          label="Title"
          placeholder="Car won't start after buying ice cream"
          required
          data-autofocus
          {...form.field('title')}
        />
        <Textarea
          label="Hypothesis"
          description="What you think the root cause is; you can refine it while investigating."
          autosize
          minRows={3}
          {...form.field('hypothesis')}
        />
        <Select
          label="Owner"
          data={(staff.data ?? []).map((user) => ({ value: user.id, label: user.name }))}
          value={(form.values.ownerId as string | undefined) ?? null}
          onChange={(value) => form.setField('ownerId', value ?? undefined)}
          searchable
          clearable
          placeholder={staff.isPending ? 'Loading staff…' : 'Nobody yet'}
          error={form.errors.ownerId}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            Create problem
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function NewProblemModal({
  opened,
  onClose,
  itemIds = [],
}: {
  opened: boolean;
  onClose: () => void;
  itemIds?: string[];
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="New problem" centered size="lg">
      {opened && <NewProblemForm itemIds={itemIds} onCancel={onClose} onCreated={onClose} />}
    </Modal>
  );
}
