import { Anchor, Badge, Group } from '@mantine/core';
import { Link } from 'react-router';
import type { Organization } from '../../shared/organizations.ts';
import { formatDate } from '../app/ui.tsx';
import type { CustomFieldDefinition } from '../people/api.ts';
import { customValueText } from '../people/list/columns.tsx';
import type { Column } from '../people/table/VirtualTable.tsx';

export function organizationColumns(customFields: CustomFieldDefinition[]): Column<Organization>[] {
  const columns: Column<Organization>[] = [
    {
      key: 'name',
      label: 'Name',
      width: 220,
      flex: true,
      sort: 'name',
      text: (org) => org.name,
      render: (org) => (
        <Anchor component={Link} to={`/organizations/${org.id}`} size="sm" fw={500}>
          {org.name}
        </Anchor>
      ),
    },
    { key: 'domains', label: 'Domains', width: 200, text: (org) => org.domains.join(', ') },
    { key: 'industry', label: 'Industry', width: 160, text: (org) => org.industry ?? '' },
    { key: 'size', label: 'Size', width: 100, text: (org) => org.size ?? '' },
    {
      key: 'city',
      label: 'City',
      width: 140,
      text: (org) => [org.address?.city, org.address?.country].filter(Boolean).join(', '),
    },
    {
      key: 'tags',
      label: 'Tags',
      width: 180,
      text: (org) => org.tags.join(', '),
      render: (org) => (
        <Group gap={4} wrap="nowrap">
          {org.tags.slice(0, 3).map((tag) => (
            <Badge key={tag} size="xs" variant="outline" color="gray">
              {tag}
            </Badge>
          ))}
        </Group>
      ),
    },
    {
      key: 'createdAt',
      label: 'Created',
      width: 170,
      sort: 'createdAt',
      text: (o) => formatDate(o.createdAt),
    },
    {
      key: 'updatedAt',
      label: 'Updated',
      width: 170,
      sort: 'updatedAt',
      text: (o) => formatDate(o.updatedAt),
    },
  ];
  for (const field of customFields) {
    columns.push({
      key: `cf.${field.key}`,
      label: field.label,
      width: 160,
      text: (org) => customValueText(org.customFields[field.key]),
    });
  }
  return columns;
}

export const defaultOrganizationColumns = ['name', 'domains', 'industry', 'size', 'tags'];
