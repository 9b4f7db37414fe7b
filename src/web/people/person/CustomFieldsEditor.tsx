import {
  Anchor,
  Checkbox,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Text,
  TextInput,
} from '@mantine/core';
import { Link } from 'react-router';
import { useCan } from '../../app/session.ts';
import type { CustomFieldDefinition } from '../api.ts';
import { errorAt } from './draft.ts';

type Value = string | number | boolean | null | string[];

/** One input per custom field defined for the workspace, of the right kind for its type. */
export function CustomFieldsEditor({
  fields,
  values,
  onChange,
  errors,
}: {
  fields: CustomFieldDefinition[];
  values: Record<string, Value>;
  onChange: (values: Record<string, Value>) => void;
  errors: Record<string, string>;
}) {
  const can = useCan();
  if (fields.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No custom fields are defined for this workspace.{' '}
        {can('customFields.manage') && (
          <Anchor component={Link} to="/settings/custom-fields" size="sm">
            Define custom fields
          </Anchor>
        )}
      </Text>
    );
  }
  const set = (key: string, value: Value) => onChange({ ...values, [key]: value });
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      {fields.map((field) => (
        <CustomFieldInput
          key={field.key}
          field={field}
          value={values[field.key] ?? null}
          onChange={(value) => set(field.key, value)}
          error={errorAt(errors, `customFields.${field.key}`)}
        />
      ))}
    </SimpleGrid>
  );
}

function CustomFieldInput({
  field,
  value,
  onChange,
  error,
}: {
  field: CustomFieldDefinition;
  value: Value;
  onChange: (value: Value) => void;
  error?: string;
}) {
  const common = { label: field.label, error };
  const text = typeof value === 'string' ? value : value === null ? '' : String(value);
  switch (field.type) {
    case 'number':
      return (
        <NumberInput
          {...common}
          value={typeof value === 'number' ? value : text}
          onChange={(next) => onChange(next === '' ? null : Number(next))}
        />
      );
    case 'date':
      return (
        <TextInput
          {...common}
          type="date"
          value={text}
          onChange={(e) => onChange(e.currentTarget.value || null)}
        />
      );
    case 'url':
      return (
        <TextInput
          {...common}
          type="url"
          placeholder="https://"
          value={text}
          onChange={(e) => onChange(e.currentTarget.value || null)}
        />
      );
    case 'select':
      return (
        <Select
          {...common}
          data={field.options ?? []}
          value={text || null}
          onChange={(next) => onChange(next)}
          clearable
        />
      );
    case 'multiselect':
      return (
        <MultiSelect
          {...common}
          data={field.options ?? []}
          value={Array.isArray(value) ? value : []}
          onChange={(next) => onChange(next)}
          clearable
        />
      );
    case 'checkbox':
      return (
        <Checkbox
          label={field.label}
          error={error}
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
          mt="lg"
        />
      );
    default:
      return <TextInput {...common} value={text} onChange={(e) => onChange(e.currentTarget.value || null)} />;
  }
}
