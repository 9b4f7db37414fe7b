import { Anchor, Avatar, Badge, Group, Text } from '@mantine/core';
import { Link } from 'react-router';
import { formatDate, isNotFound } from '../../app/ui.tsx';
import { type CustomFieldDefinition, type PersonRecord, useOrganization } from '../api.ts';
import { StageBadge, stageLabels } from '../stage.tsx';
import type { Column } from '../table/VirtualTable.tsx';

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => [...part][0]?.toUpperCase())
    .join('');
}

export function PersonAvatar({ person, size = 28 }: { person: PersonRecord; size?: number }) {
  return (
    <Avatar
      src={person.photoUrl ? `${person.photoUrl}&size=64` : null}
      size={size}
      radius="xl"
      color="indigo"
      alt=""
    >
      {initials(person.displayName)}
    </Avatar>
  );
}

/**
 * The name of an organization by id (each one fetched once, then cached). "…" only while it
 * loads: one that is gone (deleted since) reads "Deleted organization", a failed read "—".
 */
export function OrganizationName({ id, link = false }: { id: string | null; link?: boolean }) {
  const { data, error } = useOrganization(id);
  if (!id) return <Text c="dimmed">—</Text>;
  if (error) {
    return (
      <Text c="dimmed" size="sm" fs={isNotFound(error) ? 'italic' : undefined}>
        {isNotFound(error) ? 'Deleted organization' : '—'}
      </Text>
    );
  }
  if (!data) return <Text c="dimmed">…</Text>;
  return link ? (
    <Anchor component={Link} to={`/organizations/${id}`} size="sm">
      {data.name}
    </Anchor>
  ) : (
    <Text size="sm" truncate>
      {data.name}
    </Text>
  );
}

const primary = <T extends { primary: boolean }>(items: T[]) =>
  items.find((item) => item.primary) ?? items[0];

export function customValueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}

export function peopleColumns(
  owners: Map<string, string>,
  organizationName: (id: string) => string | undefined,
  customFields: CustomFieldDefinition[],
): Column<PersonRecord>[] {
  const columns: Column<PersonRecord>[] = [
    {
      key: 'name',
      label: 'Name',
      width: 220,
      flex: true,
      sort: 'name',
      text: (person) => person.displayName,
      render: (person) => (
        <Group gap="xs" wrap="nowrap">
          <PersonAvatar person={person} />
          <Anchor component={Link} to={`/people/${person.id}`} size="sm" fw={500} truncate>
            {person.displayName}
          </Anchor>
        </Group>
      ),
    },
    {
      key: 'stage',
      label: 'Stage',
      width: 140,
      text: (p) => stageLabels[p.stage],
      render: (p) => <StageBadge stage={p.stage} />,
    },
    { key: 'email', label: 'Email', width: 220, text: (p) => primary(p.emails)?.value ?? '' },
    { key: 'phone', label: 'Phone', width: 170, text: (p) => primary(p.phones)?.value ?? '' },
    {
      key: 'organization',
      label: 'Organization',
      width: 180,
      text: (p) => (p.organizationId ? (organizationName(p.organizationId) ?? '') : ''),
      render: (p) => (p.organizationId ? <OrganizationName id={p.organizationId} /> : ''),
    },
    { key: 'jobTitle', label: 'Job title', width: 160, text: (p) => p.jobTitle ?? '' },
    {
      key: 'owner',
      label: 'Owner',
      width: 140,
      text: (p) => (p.ownerId ? (owners.get(p.ownerId) ?? 'Someone') : ''),
    },
    {
      key: 'tags',
      label: 'Tags',
      width: 200,
      text: (p) => p.tags.join(', '),
      render: (p) => (
        <Group gap={4} wrap="nowrap">
          {p.tags.slice(0, 3).map((tag) => (
            <Badge key={tag} size="xs" variant="outline" color="gray">
              {tag}
            </Badge>
          ))}
          {p.tags.length > 3 && (
            <Text size="xs" c="dimmed">
              +{p.tags.length - 3}
            </Text>
          )}
        </Group>
      ),
    },
    {
      key: 'lastContactedAt',
      label: 'Last contacted',
      width: 170,
      sort: 'lastContactedAt',
      text: (p) => formatDate(p.lastContactedAt, ''),
    },
    {
      key: 'nextFollowUpAt',
      label: 'Next follow-up',
      width: 170,
      text: (p) => formatDate(p.nextFollowUpAt, ''),
    },
    { key: 'source', label: 'Source', width: 160, text: (p) => p.source ?? '' },
    {
      key: 'createdAt',
      label: 'Created',
      width: 170,
      sort: 'createdAt',
      text: (p) => formatDate(p.createdAt),
    },
    {
      key: 'updatedAt',
      label: 'Updated',
      width: 170,
      sort: 'updatedAt',
      text: (p) => formatDate(p.updatedAt),
    },
  ];
  for (const field of customFields) {
    columns.push({
      key: `cf.${field.key}`,
      label: field.label,
      width: 160,
      text: (p) => customValueText(p.customFields[field.key]),
    });
  }
  return columns;
}

export const defaultPeopleColumns = [
  'name',
  'stage',
  'email',
  'phone',
  'organization',
  'owner',
  'tags',
  'lastContactedAt',
];

const exportKeys: Record<string, string> = {
  name: 'displayName',
  email: 'emails',
  phone: 'phones',
  owner: 'ownerId',
};

/** The export API's CSV columns for the visible list columns (`cf.key` → `customFields.key`). */
export function exportColumns(visible: readonly string[]): string {
  return visible
    .map((key) => (key.startsWith('cf.') ? `customFields.${key.slice(3)}` : (exportKeys[key] ?? key)))
    .join(',');
}
