import {
  Badge,
  Button,
  Group,
  MultiSelect,
  Popover,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { OrganizationPicker } from '../../organizations/OrganizationPicker.tsx';
import { type ListParams, useCustomFields, useUsers } from '../api.ts';
import { stageOptions } from '../stage.tsx';
import { dayToIso, filterCount, isoToDay } from './filters.ts';

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';
const many = (value: string | string[] | undefined) => (Array.isArray(value) ? value : value ? [value] : []);

function YesNoAny({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (value: string | undefined) => void;
}) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <SegmentedControl
        size="xs"
        aria-label={label}
        value={value || 'any'}
        onChange={(next) => onChange(next === 'any' ? undefined : next)}
        data={[
          { value: 'any', label: 'Any' },
          { value: 'true', label: 'Yes' },
          { value: 'false', label: 'No' },
        ]}
      />
    </Stack>
  );
}

/** The filters of the people list in a popover; every change applies at once. */
export function FiltersPopover({
  params,
  onChange,
}: {
  params: ListParams;
  onChange: (params: ListParams) => void;
}) {
  const users = useUsers();
  const fields = useCustomFields('person');
  const set = (key: string, value: string | string[] | undefined) => onChange({ ...params, [key]: value });
  const [customKey, customValue] = splitCustomField(single(params.customField));
  const [fieldKey, setFieldKey] = useState<string | null>(customKey || null);
  const count = filterCount(params);
  const fieldDef = fields.find((field) => field.key === fieldKey);

  return (
    <Popover width={440} position="bottom-start" withArrow shadow="md" trapFocus>
      <Popover.Target>
        <Button
          variant="default"
          rightSection={
            count ? (
              <Badge size="xs" circle>
                {count}
              </Badge>
            ) : undefined
          }
        >
          Filters
        </Button>
      </Popover.Target>
      <Popover.Dropdown aria-label="Filters">
        <Stack gap="sm">
          <MultiSelect
            label="Stage"
            placeholder="Any stage"
            data={stageOptions}
            value={many(params.stage)}
            onChange={(value) => set('stage', value)}
            clearable
            comboboxProps={{ withinPortal: false }}
          />
          <TagsInput
            label="Tags (all of them)"
            placeholder="Type a tag, Enter"
            value={many(params.tag)}
            onChange={(value) => set('tag', value)}
            clearable
          />
          <SimpleGrid cols={2}>
            <Select
              label="Owner"
              placeholder="Anyone"
              data={users.map((user) => ({ value: user.id, label: user.name }))}
              value={single(params.ownerId) || null}
              onChange={(value) => set('ownerId', value ?? undefined)}
              clearable
              searchable
              disabled={users.length === 0}
              comboboxProps={{ withinPortal: false }}
            />
            <OrganizationPicker
              value={single(params.organizationId) || null}
              onChange={(value) => set('organizationId', value ?? undefined)}
              placeholder="Any"
            />
          </SimpleGrid>
          <Group grow>
            <YesNoAny
              label="Has email"
              value={single(params.hasEmail)}
              onChange={(v) => set('hasEmail', v)}
            />
            <YesNoAny
              label="Has phone"
              value={single(params.hasPhone)}
              onChange={(v) => set('hasPhone', v)}
            />
          </Group>
          <SimpleGrid cols={2}>
            <TextInput
              type="date"
              label="Last contacted after"
              value={isoToDay(single(params.lastContactedAfter))}
              onChange={(event) => {
                const day = event.currentTarget.value;
                set('lastContactedAfter', day ? dayToIso(day) : undefined);
              }}
            />
            <TextInput
              type="date"
              label="Last contacted before"
              value={isoToDay(single(params.lastContactedBefore))}
              onChange={(event) => {
                const day = event.currentTarget.value;
                set('lastContactedBefore', day ? dayToIso(day) : undefined);
              }}
            />
          </SimpleGrid>
          {fields.length > 0 && (
            <SimpleGrid cols={2}>
              <Select
                label="Custom field"
                placeholder="Choose a field"
                data={fields.map((field) => ({ value: field.key, label: field.label }))}
                value={fieldKey}
                onChange={(value) => {
                  setFieldKey(value);
                  if (!value) set('customField', undefined);
                }}
                clearable
                comboboxProps={{ withinPortal: false }}
              />
              {fieldDef?.options?.length ? (
                <Select
                  label="Is"
                  data={fieldDef.options}
                  value={customValue || null}
                  onChange={(value) => set('customField', value ? `${fieldDef.key}:${value}` : undefined)}
                  comboboxProps={{ withinPortal: false }}
                />
              ) : (
                <TextInput
                  label="Is"
                  disabled={!fieldKey}
                  defaultValue={customValue}
                  key={fieldKey ?? ''}
                  onBlur={(event) => {
                    const value = event.currentTarget.value.trim();
                    set('customField', fieldKey && value ? `${fieldKey}:${value}` : undefined);
                  }}
                />
              )}
            </SimpleGrid>
          )}
          <Group justify="flex-end">
            <Button
              variant="subtle"
              size="xs"
              disabled={count === 0}
              onClick={() => onChange({ q: params.q, sort: params.sort })}
            >
              Clear filters
            </Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

function splitCustomField(value: string): [string, string] {
  const at = value.indexOf(':');
  return at === -1 ? [value, ''] : [value.slice(0, at), value.slice(at + 1)];
}
