import { NativeSelect, Table, Text } from '@mantine/core';
import type { CustomField } from '../../shared/custom-fields.ts';
import { addressParts, listTargets, scalarTargets } from '../../shared/imports.ts';

const scalarLabels: Record<string, string> = {
  givenName: 'Given name',
  middleName: 'Middle name (added to given name)',
  familyName: 'Family name',
  prefix: 'Prefix',
  suffix: 'Suffix',
  nickname: 'Nickname',
  displayName: 'Display name',
  pronouns: 'Pronouns',
  jobTitle: 'Job title',
  organization: 'Organization (found or created by name)',
  stage: 'Stage',
  source: 'Source',
  birthday: 'Birthday',
  tags: 'Tags (separated by ; or ,)',
  notes: 'Notes',
};
const listLabels: Record<string, string> = { email: 'Email', phone: 'Phone', website: 'Website' };
const addressLabels: Record<string, string> = {
  street: 'Street',
  city: 'City',
  region: 'Region / state',
  postalCode: 'Postal code',
  country: 'Country',
};

/** Every target the select offers; suggestions such as `email#1` are added when present. */
function baseOptions() {
  const options: { value: string; label: string }[] = [{ value: '', label: '— Leave out —' }];
  for (const target of scalarTargets) options.push({ value: target, label: scalarLabels[target] ?? target });
  for (const list of listTargets) {
    options.push({ value: list, label: listLabels[list]! });
    for (const label of list === 'phone' ? ['mobile', 'work', 'home'] : ['work', 'home'])
      options.push({ value: `${list}:${label}`, label: `${listLabels[list]} (${label})` });
  }
  for (const part of addressParts) {
    options.push({ value: `address.${part}`, label: `Address: ${addressLabels[part]}` });
    options.push({ value: `address.${part}:work`, label: `Work address: ${addressLabels[part]}` });
    options.push({ value: `address.${part}:home`, label: `Home address: ${addressLabels[part]}` });
  }
  return options;
}
const base = baseOptions();

type FieldChoice = Pick<CustomField, 'key' | 'label'>;

/** The fixed targets, then the workspace's custom fields of people (only those can be imported into). */
function optionsFor(current: string | null, customFields: FieldChoice[]) {
  const options = [...base];
  for (const field of customFields)
    options.push({ value: `customFields.${field.key}`, label: `Custom field: ${field.label}` });
  if (current && !options.some((option) => option.value === current))
    options.push({ value: current, label: current });
  return options;
}

export function MappingTable({
  headers,
  sampleRows,
  mapping,
  customFields,
  onChange,
}: {
  headers: string[];
  /** The workspace's custom fields of people. */
  customFields: FieldChoice[];
  sampleRows: string[][];
  mapping: (string | null)[];
  onChange: (mapping: (string | null)[]) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs" aria-label="Column mapping">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Column in the file</Table.Th>
            <Table.Th>First values</Table.Th>
            <Table.Th>Goes to</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {headers.map((header, index) => (
            // Headers may repeat; the column position identifies the row.
            // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
            <Table.Tr key={index}>
              <Table.Td>
                <Text fw={500}>{header || `Column ${index + 1}`}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed" lineClamp={2}>
                  {sampleRows
                    .slice(0, 3)
                    .map((row) => row[index] ?? '')
                    .filter(Boolean)
                    .join(' · ') || '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <NativeSelect
                  aria-label={`Field for column ${header || index + 1}`}
                  data={optionsFor(mapping[index] ?? null, customFields)}
                  value={mapping[index] ?? ''}
                  onChange={(event) => {
                    const next = [...mapping];
                    next[index] = event.currentTarget.value || null;
                    onChange(next);
                  }}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
