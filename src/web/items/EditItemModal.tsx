import {
  Alert,
  Button,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import {
  type Item,
  itemChannelLabels,
  itemChannels,
  itemKindLabels,
  itemKinds,
  priorities,
  sentiments,
} from '../../shared/listening.ts';
import { ApiError, api, errorMessage } from '../app/api.ts';
import { afterItemWrite, useCategories } from './api.ts';

type Draft = Pick<
  Item,
  'kind' | 'channel' | 'subject' | 'body' | 'priority' | 'sentiment' | 'categoryId' | 'tags'
>;
const draftOf = (item: Item): Draft => ({
  kind: item.kind,
  channel: item.channel,
  subject: item.subject,
  body: item.body,
  priority: item.priority,
  sentiment: item.sentiment,
  categoryId: item.categoryId,
  tags: item.tags,
});
const sentimentLabel = (value: string) => value.replace('_', ' ').replace(/^./, (c) => c.toUpperCase());

/** Corrects what was logged (e.g. the kind guessed from an email); sends the version read (409 if stale). */
export function EditItemModal({
  item,
  opened,
  onClose,
  onConflict,
}: {
  item: Item;
  opened: boolean;
  onClose: () => void;
  onConflict: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const categories = useCategories();
  const [draft, setDraft] = useState<Draft>(() => draftOf(item));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: start from the item as it is when the dialog opens
  useEffect(() => {
    if (!opened) return;
    setDraft(draftOf(item));
    setErrors({});
    setFormError(null);
  }, [opened]);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const original = draftOf(item);
    const changes = Object.fromEntries(
      Object.entries(draft).filter(
        ([key, value]) => JSON.stringify(value) !== JSON.stringify(original[key as keyof Draft]),
      ),
    );
    if (Object.keys(changes).length === 0) return onClose();
    setBusy(true);
    try {
      await api.patch(`/api/v1/items/${item.id}`, { ...changes, version: item.version });
      await afterItemWrite(queryClient, item.id);
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        onConflict(error.message);
        onClose();
        return;
      }
      const fields: Record<string, string> = {};
      if (error instanceof ApiError)
        for (const p of error.errors) fields[p.path.replace(/^body\./, '').split('.')[0] ?? ''] ||= p.message;
      setErrors(fields);
      setFormError(Object.keys(fields).length === 0 ? errorMessage(error) : null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={`Edit #${item.ref}`} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput
            label="Subject"
            value={draft.subject}
            onChange={(e) => set('subject', e.currentTarget.value)}
            error={errors.subject}
            data-autofocus
          />
          <Textarea
            label="Details"
            autosize
            minRows={2}
            maxRows={10}
            value={draft.body}
            onChange={(e) => set('body', e.currentTarget.value)}
            error={errors.body}
          />
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
            <Select
              label="Kind"
              data={itemKinds.map((k) => ({ value: k, label: itemKindLabels[k] }))}
              value={draft.kind}
              onChange={(v) => v && set('kind', v as Draft['kind'])}
              allowDeselect={false}
              error={errors.kind}
            />
            <Select
              label="Channel"
              data={itemChannels.map((c) => ({ value: c, label: itemChannelLabels[c] }))}
              value={draft.channel}
              onChange={(v) => v && set('channel', v as Draft['channel'])}
              allowDeselect={false}
              error={errors.channel}
            />
            <Select
              label="Priority"
              data={priorities.map((p) => ({ value: p, label: p }))}
              value={draft.priority}
              onChange={(v) => v && set('priority', v as Draft['priority'])}
              allowDeselect={false}
              error={errors.priority}
            />
            <Select
              label="Category"
              data={categories.map((c) => ({ value: c.id, label: c.name }))}
              value={draft.categoryId}
              onChange={(v) => set('categoryId', v)}
              clearable
              error={errors.categoryId}
            />
            <Select
              label="Sentiment"
              data={sentiments.map((s) => ({ value: s, label: sentimentLabel(s) }))}
              value={draft.sentiment}
              onChange={(v) => set('sentiment', v as Draft['sentiment'])}
              clearable
              error={errors.sentiment}
            />
          </SimpleGrid>
          <TagsInput
            label="Tags"
            value={draft.tags}
            onChange={(tags) => set('tags', tags)}
            error={errors.tags}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
