import {
  ActionIcon,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Category, ObservationTemplateField, ObservationType } from '../../shared/listening.ts';
import { ApiError, api, errorMessage } from '../app/api.ts';
import { FormError } from '../app/ui.tsx';
import { errorUnder, pathErrors, sameJson } from './common.tsx';

const typeOptions: { value: ObservationType; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'number', label: 'Number' },
  { value: 'boolean', label: 'Yes / no' },
  { value: 'datetime', label: 'Date and time' },
  { value: 'choice', label: 'Choice' },
];

/** "Minutes parked" → "minutes_parked": a key suggested from the label. */
export function keyOf(label: string): string {
  const key = label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '');
  return key.slice(0, 50);
}

type Draft = { name: string; fields: ObservationTemplateField[] };

export function CategoryModal({
  category,
  opened,
  onClose,
}: {
  /** null: a new category. */
  category: Category | null;
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const initial: Draft = { name: category?.name ?? '', fields: category?.observationTemplate ?? [] };
  const [draft, setDraft] = useState<Draft>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const dirty = !sameJson(draft, initial);
  const close = () => {
    if (dirty && !window.confirm('Discard your changes to this category?')) return;
    onClose();
  };
  const setField = (index: number, change: Partial<ObservationTemplateField>) =>
    setDraft({
      ...draft,
      fields: draft.fields.map((field, i) => (i === index ? { ...field, ...change } : field)),
    });

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft.name.trim()) {
      setErrors({ name: 'Name the category.' });
      return;
    }
    setSaving(true);
    setFormError(null);
    const observationTemplate = draft.fields.map((field) =>
      field.type === 'choice' ? field : { key: field.key, label: field.label, type: field.type },
    );
    try {
      if (category)
        await api.patch<Category>(`/api/v1/item-categories/${category.id}`, {
          name: draft.name.trim(),
          observationTemplate,
          version: category.version,
        });
      else
        await api.post<Category>('/api/v1/item-categories', { name: draft.name.trim(), observationTemplate });
      await queryClient.invalidateQueries({ queryKey: ['item-categories'] });
      notifications.show({ color: 'teal', message: `Category ${draft.name.trim()} saved.` });
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        setFormError(error.message);
      } else {
        const found = pathErrors(error);
        setErrors(found);
        setFormError(Object.keys(found).length ? 'Check the highlighted fields.' : errorMessage(error));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={category ? `Edit ${category.name}` : 'New category'}
      size="xl"
      centered
    >
      <form onSubmit={save} noValidate>
        <Stack>
          <FormError message={formError} />
          <TextInput
            label="Name"
            placeholder="e.g. Car won't start"
            required
            data-autofocus
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
            error={errors.name}
          />
          <div>
            <Text fw={500} size="sm">
              Observation template
            </Text>
            <Text size="xs" c="dimmed" mb="xs">
              The conditions to record on every item of this category, so that occurrences can be compared
              (e.g. time of day, fuel type, minutes parked, flavour bought).
            </Text>
            <Stack gap="xs" aria-label="Observation template fields">
              {draft.fields.length === 0 && (
                <Text size="sm" c="dimmed">
                  No fields yet.
                </Text>
              )}
              {draft.fields.map((field, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: fields are edited in place, keys may change
                <Paper key={index} withBorder p="xs" radius="md">
                  <Group align="flex-start" gap="xs" wrap="wrap">
                    <TextInput
                      size="xs"
                      label="Label"
                      w={200}
                      value={field.label}
                      onChange={(e) => {
                        const label = e.currentTarget.value;
                        const followsLabel = !field.key || field.key === keyOf(field.label);
                        setField(index, followsLabel ? { label, key: keyOf(label) } : { label });
                      }}
                      error={errorUnder(errors, `observationTemplate.${index}.label`)}
                    />
                    <TextInput
                      size="xs"
                      label="Key"
                      w={170}
                      ff="monospace"
                      value={field.key}
                      onChange={(e) => setField(index, { key: e.currentTarget.value })}
                      error={errorUnder(errors, `observationTemplate.${index}.key`)}
                    />
                    <Select
                      size="xs"
                      label="Type"
                      w={140}
                      data={typeOptions}
                      value={field.type}
                      allowDeselect={false}
                      onChange={(value) =>
                        value &&
                        setField(index, {
                          type: value as ObservationType,
                          choices: value === 'choice' ? (field.choices ?? []) : undefined,
                        })
                      }
                      error={errorUnder(errors, `observationTemplate.${index}.type`)}
                    />
                    <Group gap={2} mt={22}>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        aria-label={`Move ${field.label || 'field'} up`}
                        disabled={index === 0}
                        onClick={() => {
                          const fields = [...draft.fields];
                          [fields[index - 1], fields[index]] = [
                            fields[index] as ObservationTemplateField,
                            fields[index - 1] as ObservationTemplateField,
                          ];
                          setDraft({ ...draft, fields });
                        }}
                      >
                        ↑
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Remove ${field.label || 'field'}`}
                        onClick={() =>
                          setDraft({ ...draft, fields: draft.fields.filter((_, i) => i !== index) })
                        }
                      >
                        ×
                      </ActionIcon>
                    </Group>
                  </Group>
                  {field.type === 'choice' && (
                    <TagsInput
                      mt={6}
                      size="xs"
                      label="Choices"
                      placeholder="Type and press Enter"
                      value={field.choices ?? []}
                      onChange={(choices) => setField(index, { choices })}
                      error={errorUnder(errors, `observationTemplate.${index}.choices`)}
                    />
                  )}
                  {errors[`observationTemplate.${index}`] && (
                    <Text size="xs" c="red">
                      {errors[`observationTemplate.${index}`]}
                    </Text>
                  )}
                </Paper>
              ))}
            </Stack>
            {errors.observationTemplate && (
              <Text size="xs" c="red" mt={4}>
                {errors.observationTemplate}
              </Text>
            )}
            <Button
              mt="xs"
              size="xs"
              variant="light"
              disabled={draft.fields.length >= 50}
              onClick={() =>
                setDraft({ ...draft, fields: [...draft.fields, { key: '', label: '', type: 'text' }] })
              }
            >
              Add a field
            </Button>
          </div>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={saving} disabled={!dirty}>
              Save category
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
