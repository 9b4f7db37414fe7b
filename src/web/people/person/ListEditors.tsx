import { ActionIcon, Autocomplete, Button, Group, Radio, Stack, Text, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { errorAt } from './draft.ts';

interface Labelled {
  value: string;
  label?: string | null;
  primary?: boolean;
}

function Remove({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <ActionIcon variant="subtle" color="gray" aria-label={label} onClick={onClick} mt={4}>
      ×
    </ActionIcon>
  );
}

function Section({
  title,
  children,
  onAdd,
  addLabel,
}: {
  title: string;
  children: ReactNode;
  onAdd: () => void;
  addLabel: string;
}) {
  return (
    <Stack gap={6}>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      {children}
      <div>
        <Button variant="subtle" size="compact-sm" onClick={onAdd}>
          + {addLabel}
        </Button>
      </div>
    </Stack>
  );
}

/** Emails, phones or websites: a value, a label and one primary (radio) per list. */
export function LabelledListEditor({
  title,
  field,
  items,
  onChange,
  labels,
  errors,
  inputType = 'text',
  itemName,
}: {
  title: string;
  field: string;
  items: Labelled[];
  onChange: (items: Labelled[]) => void;
  labels: string[];
  errors: Record<string, string>;
  inputType?: 'email' | 'tel' | 'url' | 'text';
  itemName: string;
}) {
  const primaryIndex = Math.max(
    0,
    items.findIndex((item) => item.primary),
  );
  const update = (index: number, patch: Partial<Labelled>) =>
    onChange(items.map((item, i) => (i === index ? { ...item, ...patch } : item)));
  const setPrimary = (index: number) => onChange(items.map((item, i) => ({ ...item, primary: i === index })));
  return (
    <Section
      title={title}
      addLabel={`Add ${itemName}`}
      onAdd={() => onChange([...items, { value: '', label: labels[0] ?? null, primary: items.length === 0 }])}
    >
      {items.length === 0 && (
        <Text size="sm" c="dimmed">
          None yet.
        </Text>
      )}
      <Radio.Group
        value={String(primaryIndex)}
        onChange={(value) => setPrimary(Number(value))}
        aria-label={`Primary ${itemName}`}
      >
        <Stack gap={6}>
          {items.map((item, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place by position
            <Group key={index} gap="xs" wrap="nowrap" align="flex-start">
              <TextInput
                aria-label={`${title} ${index + 1}`}
                type={inputType}
                value={item.value}
                onChange={(event) => update(index, { value: event.currentTarget.value })}
                error={errorAt(errors, `${field}.${index}`)}
                style={{ flex: 1 }}
              />
              <Autocomplete
                aria-label={`Label of ${itemName} ${index + 1}`}
                data={labels}
                value={item.label ?? ''}
                onChange={(label) => update(index, { label: label || null })}
                w={110}
              />
              <Radio
                value={String(index)}
                aria-label={`Primary ${itemName} ${index + 1}`}
                mt={8}
                title="Primary"
              />
              <Remove
                label={`Remove ${itemName} ${index + 1}`}
                onClick={() => onChange(items.filter((_, i) => i !== index))}
              />
            </Group>
          ))}
        </Stack>
      </Radio.Group>
    </Section>
  );
}

interface Address {
  label?: string | null;
  street?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
  primary?: boolean;
}

export function AddressesEditor({
  items,
  onChange,
  errors,
}: {
  items: Address[];
  onChange: (items: Address[]) => void;
  errors: Record<string, string>;
}) {
  const update = (index: number, patch: Partial<Address>) =>
    onChange(items.map((item, i) => (i === index ? { ...item, ...patch } : item)));
  const primaryIndex = Math.max(
    0,
    items.findIndex((item) => item.primary),
  );
  const part = (index: number, key: keyof Address, label: string, flex = 1) => (
    <TextInput
      label={label}
      size="xs"
      value={(items[index]?.[key] as string | null) ?? ''}
      onChange={(event) => update(index, { [key]: event.currentTarget.value || null })}
      error={errorAt(errors, `addresses.${index}.${key}`)}
      style={{ flex }}
    />
  );
  return (
    <Section
      title="Addresses"
      addLabel="Add address"
      onAdd={() => onChange([...items, { label: 'work', primary: items.length === 0 }])}
    >
      {items.length === 0 && (
        <Text size="sm" c="dimmed">
          None yet.
        </Text>
      )}
      {items.map((item, index) => (
        <Stack
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place by position
          key={index}
          gap={4}
          p="xs"
          style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 8 }}
        >
          <Group gap="xs" wrap="nowrap" align="flex-end">
            <Autocomplete
              label="Label"
              size="xs"
              data={['work', 'home', 'other']}
              value={item.label ?? ''}
              onChange={(label) => update(index, { label: label || null })}
              style={{ flex: 1 }}
            />
            <Radio
              label="Primary"
              checked={index === primaryIndex}
              onChange={() => onChange(items.map((a, i) => ({ ...a, primary: i === index })))}
              mb={6}
            />
            <Remove
              label={`Remove address ${index + 1}`}
              onClick={() => onChange(items.filter((_, i) => i !== index))}
            />
          </Group>
          {part(index, 'street', 'Street')}
          <Group gap="xs" grow>
            {part(index, 'city', 'City')}
            {part(index, 'region', 'Region')}
          </Group>
          <Group gap="xs" grow>
            {part(index, 'postalCode', 'Postal code')}
            {part(index, 'country', 'Country')}
          </Group>
          {errors[`addresses.${index}`] && (
            <Text size="xs" c="red">
              {errors[`addresses.${index}`]}
            </Text>
          )}
        </Stack>
      ))}
    </Section>
  );
}

/** Two-text rows: social handles (service + handle) or important dates (label + date). */
export function PairListEditor<K1 extends string, K2 extends string>({
  title,
  field,
  items,
  onChange,
  first,
  second,
  errors,
  itemName,
}: {
  title: string;
  field: string;
  items: Record<K1 | K2, string>[];
  onChange: (items: Record<K1 | K2, string>[]) => void;
  first: { key: K1; label: string; options?: string[] };
  second: { key: K2; label: string; type?: 'date' | 'text' };
  errors: Record<string, string>;
  itemName: string;
}) {
  const update = (index: number, key: K1 | K2, value: string) =>
    onChange(items.map((item, i) => (i === index ? { ...item, [key]: value } : item)));
  return (
    <Section
      title={title}
      addLabel={`Add ${itemName}`}
      onAdd={() => onChange([...items, { [first.key]: '', [second.key]: '' } as Record<K1 | K2, string>])}
    >
      {items.length === 0 && (
        <Text size="sm" c="dimmed">
          None yet.
        </Text>
      )}
      {items.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place by position
        <Group key={index} gap="xs" wrap="nowrap" align="flex-start">
          <Autocomplete
            aria-label={`${first.label} ${index + 1}`}
            placeholder={first.label}
            data={first.options ?? []}
            value={item[first.key]}
            onChange={(value) => update(index, first.key, value)}
            error={errorAt(errors, `${field}.${index}.${first.key}`)}
            style={{ flex: 1 }}
          />
          <TextInput
            aria-label={`${second.label} ${index + 1}`}
            placeholder={second.label}
            type={second.type ?? 'text'}
            value={item[second.key]}
            onChange={(event) => update(index, second.key, event.currentTarget.value)}
            error={errorAt(errors, `${field}.${index}.${second.key}`)}
            style={{ flex: 1 }}
          />
          <Remove
            label={`Remove ${itemName} ${index + 1}`}
            onClick={() => onChange(items.filter((_, i) => i !== index))}
          />
        </Group>
      ))}
    </Section>
  );
}
