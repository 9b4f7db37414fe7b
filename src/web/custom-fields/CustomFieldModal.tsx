import { ActionIcon, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import {
  type CustomField,
  type CustomFieldEntity,
  type CustomFieldType,
  customFieldTypeLabels,
  customFieldTypes,
  slugifyKey,
  typesWithOptions,
} from '../../shared/custom-fields.ts';
import { ApiError, api, errorMessage } from '../app/api.ts';
import { FormError } from '../app/ui.tsx';

interface Draft {
  label: string;
  key: string;
  keyEdited: boolean;
  type: CustomFieldType;
  options: string[];
}

type Errors = Partial<Record<'label' | 'key' | 'options', string>>;

function OptionsEditor({
  options,
  onChange,
  error,
}: {
  options: string[];
  onChange: (options: string[]) => void;
  error?: string | undefined;
}) {
  const [next, setNext] = useState('');
  const add = () => {
    const value = next.trim();
    if (value && !options.includes(value)) onChange([...options, value]);
    setNext('');
  };
  return (
    <Stack gap={6} role="group" aria-label="Options">
      <Text size="sm" fw={500}>
        Options
      </Text>
      {options.map((option, index) => (
        <Group key={option} gap={6} wrap="nowrap">
          <TextInput
            aria-label={`Option ${index + 1}`}
            value={option}
            style={{ flex: 1 }}
            onChange={(event) => {
              const copy = [...options];
              copy[index] = event.currentTarget.value;
              onChange(copy);
            }}
          />
          <ActionIcon
            variant="subtle"
            aria-label={`Move ${option} up`}
            disabled={index === 0}
            onClick={() => {
              const copy = [...options];
              [copy[index - 1], copy[index]] = [copy[index]!, copy[index - 1]!];
              onChange(copy);
            }}
          >
            ↑
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label={`Remove option ${option}`}
            onClick={() => onChange(options.filter((_, i) => i !== index))}
          >
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Group gap={6} wrap="nowrap" align="flex-start">
        <TextInput
          aria-label="New option"
          placeholder="Add an option and press Enter"
          value={next}
          style={{ flex: 1 }}
          error={error}
          onChange={(event) => setNext(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              add();
            }
          }}
        />
        <Button variant="default" onClick={add}>
          Add
        </Button>
      </Group>
    </Stack>
  );
}

/** Add (field null) or edit a definition. The key and type are fixed once created. */
export function CustomFieldModal({
  opened,
  entity,
  field,
  onClose,
  onSaved,
}: {
  opened: boolean;
  entity: CustomFieldEntity;
  field: CustomField | null;
  onClose: () => void;
  onSaved: (field: CustomField) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => ({
    label: field?.label ?? '',
    key: field?.key ?? '',
    keyEdited: field !== null,
    type: field?.type ?? 'text',
    options: field?.options ?? [],
  }));
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const hasOptions = typesWithOptions.includes(draft.type);

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    const options = draft.options.map((option) => option.trim()).filter(Boolean);
    const found: Errors = {};
    if (!draft.label.trim()) found.label = 'Label is required.';
    if (hasOptions && options.length === 0) found.options = 'Add at least one option.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    setFormError(null);
    try {
      const saved = field
        ? await api.patch<CustomField>(`/api/v1/custom-fields/${field.id}`, {
            label: draft.label,
            ...(hasOptions ? { options } : {}),
            version: field.version,
          })
        : await api.post<CustomField>('/api/v1/custom-fields', {
            entity,
            label: draft.label,
            key: draft.key || slugifyKey(draft.label),
            type: draft.type,
            ...(hasOptions ? { options } : {}),
          });
      onSaved(saved);
    } catch (error) {
      if (error instanceof ApiError && error.errors.length > 0) {
        const next: Errors = {};
        for (const item of error.errors) {
          const name = item.path.replace(/^body\./, '').split('.')[0] as keyof Errors;
          next[name] = item.message;
        }
        setErrors(next);
      }
      setFormError(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={field ? `Edit “${field.label}”` : 'Add a custom field'}
      centered
    >
      <form onSubmit={save} noValidate>
        <Stack>
          <FormError message={formError} />
          <TextInput
            label="Label"
            required
            data-autofocus
            value={draft.label}
            error={errors.label}
            onChange={(event) => {
              const label = event.currentTarget.value;
              setDraft((d) => ({ ...d, label, key: d.keyEdited ? d.key : slugifyKey(label) }));
            }}
          />
          <TextInput
            label="Key"
            description={field ? 'The key cannot change.' : 'Used in the API, imports and filters.'}
            value={draft.key}
            disabled={field !== null}
            error={errors.key}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            onChange={(event) => {
              const key = event.currentTarget.value;
              setDraft((d) => ({ ...d, key, keyEdited: true }));
            }}
          />
          <Select
            label="Type"
            description={field ? 'The type cannot change.' : undefined}
            data={customFieldTypes.map((type) => ({ value: type, label: customFieldTypeLabels[type] }))}
            value={draft.type}
            disabled={field !== null}
            allowDeselect={false}
            onChange={(value) => value && setDraft((d) => ({ ...d, type: value as CustomFieldType }))}
          />
          {hasOptions && (
            <OptionsEditor
              options={draft.options}
              onChange={(options) => setDraft((d) => ({ ...d, options }))}
              error={errors.options}
            />
          )}
          {field && hasOptions && (
            <Text size="xs" c="dimmed">
              Removing or renaming an option removes the old option from every record that has it.
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              {field ? 'Save' : 'Add field'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
