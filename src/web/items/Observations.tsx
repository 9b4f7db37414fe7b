import {
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { Item, ObservationTemplateField, ObservationType } from '../../shared/listening.ts';
import { ApiError, errorMessage } from '../app/api.ts';
import type { ActionRun } from './ActionModals.tsx';
import { type StaffUser, useCategories } from './api.ts';

function shown(value: string | number | boolean, type: ObservationType) {
  if (type === 'boolean') return value ? 'yes' : 'no';
  if (type === 'datetime' && typeof value === 'string') return new Date(value).toLocaleString();
  return String(value);
}

/** The value as the API takes it for the type; undefined when it cannot be one. */
function typedValue(raw: string, type: ObservationType): string | number | boolean | undefined {
  const text = raw.trim();
  if (!text) return undefined;
  if (type === 'number') return Number.isFinite(Number(text)) ? Number(text) : undefined;
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : undefined;
  if (type === 'datetime') return Number.isNaN(Date.parse(text)) ? undefined : new Date(text).toISOString();
  return text;
}

/** The vanilla-ice-cream notes: conditions of the occurrence, typed, prompted by the category's template. */
export function Observations({
  item,
  run,
  staff,
  canWrite,
}: {
  item: Item;
  run: ActionRun;
  staff: StaffUser[];
  canWrite: boolean;
}) {
  const categories = useCategories();
  const template = categories.find((c) => c.id === item.categoryId)?.observationTemplate ?? [];
  const recorded = new Set(item.observations.map((o) => o.key));
  const prompts = template.filter((field) => !recorded.has(field.key));
  const names = new Map(staff.map((u) => [u.id, u.name]));
  return (
    <Card withBorder padding="sm" radius="md">
      <Title order={3} size="h5" mb="xs">
        Observations
      </Title>
      {item.observations.length === 0 ? (
        <Text size="sm" c="dimmed">
          No conditions recorded yet: when, where, what exactly. They help find the root cause.
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={4}>
          <Table.Tbody>
            {item.observations.map((o) => (
              <Table.Tr key={o.id}>
                <Table.Td ff="monospace">{o.key}</Table.Td>
                <Table.Td fw={500}>{shown(o.value, o.type)}</Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {o.authorId ? (names.get(o.authorId) ?? 'Staff') : 'System'},{' '}
                    {new Date(o.createdAt).toLocaleDateString()}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canWrite && (
        <Stack gap="xs" mt="sm">
          {prompts.map((field) => (
            <ObservationForm key={field.key} run={run} field={field} />
          ))}
          <ObservationForm run={run} />
        </Stack>
      )}
    </Card>
  );
}

function ObservationForm({ run, field }: { run: ActionRun; field?: ObservationTemplateField }) {
  const [key, setKey] = useState(field?.key ?? '');
  const [type, setType] = useState<ObservationType>(field?.type ?? 'text');
  const [raw, setRaw] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = typedValue(raw, type);
    if (value === undefined) {
      setErrors({ value: `Enter a ${type === 'datetime' ? 'date and time' : type} value.` });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      await run('observations', { key: key.trim(), value, type });
      setRaw('');
      if (!field) setKey('');
    } catch (error) {
      const next: Record<string, string> = {};
      if (error instanceof ApiError)
        for (const p of error.errors)
          next[p.path.replace(/^body\./, '').split('.')[0] ?? 'value'] ||= p.message;
      if (Object.keys(next).length === 0) next.value = errorMessage(error);
      setErrors(next);
    } finally {
      setBusy(false);
    }
  };
  const valueLabel = field ? field.label : 'Value';
  const valueInput =
    type === 'number' ? (
      <NumberInput
        label={valueLabel}
        value={raw}
        onChange={(v) => setRaw(String(v))}
        error={errors.value}
        size="xs"
      />
    ) : type === 'boolean' ? (
      <Select
        label={valueLabel}
        data={[
          { value: 'true', label: 'Yes' },
          { value: 'false', label: 'No' },
        ]}
        value={raw || null}
        onChange={(v) => setRaw(v ?? '')}
        error={errors.value}
        size="xs"
      />
    ) : type === 'choice' && field?.choices ? (
      <Select
        label={valueLabel}
        data={field.choices}
        value={raw || null}
        onChange={(v) => setRaw(v ?? '')}
        error={errors.value}
        size="xs"
        searchable
      />
    ) : (
      <TextInput
        label={valueLabel}
        type={type === 'datetime' ? 'datetime-local' : 'text'}
        value={raw}
        onChange={(e) => setRaw(e.currentTarget.value)}
        error={errors.value}
        size="xs"
      />
    );
  return (
    <form onSubmit={submit} noValidate aria-label={field ? `Record ${field.label}` : 'Add an observation'}>
      <Stack gap={6}>
        {!field && (
          <Group gap="xs" grow>
            <TextInput
              label="Key"
              placeholder="e.g. flavour"
              value={key}
              onChange={(e) => setKey(e.currentTarget.value)}
              error={errors.key}
              size="xs"
            />
            <Select
              label="Type"
              data={['text', 'number', 'boolean', 'datetime']}
              value={type}
              onChange={(v) => v && setType(v as ObservationType)}
              allowDeselect={false}
              size="xs"
            />
          </Group>
        )}
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <div style={{ flex: 1 }}>{valueInput}</div>
          <Button type="submit" size="xs" variant={field ? 'light' : 'default'} loading={busy}>
            {field ? 'Record' : 'Add'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
