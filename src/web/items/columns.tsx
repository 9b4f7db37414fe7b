import { Anchor, Group, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { Item } from '../../shared/listening.ts';
import type { Column } from '../people/table/VirtualTable.tsx';
import { KindBadge, LevelBadge, PriorityBadge, SlaBadges, StatusBadge } from './badges.tsx';

export function itemColumns(owners: Map<string, string>, now: number): Column<Item>[] {
  return [
    {
      key: 'ref',
      label: '#',
      width: 66,
      text: (item) => `#${item.ref}`,
      render: (item) => (
        <Anchor component={Link} to={`/items/${item.id}`} size="sm" ff="monospace">
          #{item.ref}
        </Anchor>
      ),
    },
    {
      key: 'subject',
      label: 'Subject',
      width: 220,
      flex: true,
      text: (item) => item.subject,
      render: (item) => (
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <Anchor
            component={Link}
            to={`/items/${item.id}`}
            size="sm"
            fw={500}
            truncate
            c="var(--mantine-color-text)"
          >
            {item.subject}
          </Anchor>
          <LevelBadge level={item.escalationLevel} compact />
        </Group>
      ),
    },
    { key: 'kind', label: 'Kind', width: 115, render: (item) => <KindBadge kind={item.kind} /> },
    { key: 'status', label: 'Status', width: 140, render: (item) => <StatusBadge status={item.status} /> },
    {
      key: 'priority',
      label: 'Priority',
      width: 95,
      render: (item) => <PriorityBadge priority={item.priority} />,
    },
    { key: 'sla', label: 'SLA', width: 150, render: (item) => <SlaBadges item={item} now={now} compact /> },
    {
      key: 'owner',
      label: 'Owner',
      width: 105,
      render: (item) =>
        item.ownerId ? (
          <Text size="sm" truncate>
            {owners.get(item.ownerId) ?? 'Someone'}
          </Text>
        ) : (
          <Text size="sm" c="dimmed" fs="italic">
            Unowned
          </Text>
        ),
    },
    {
      key: 'customer',
      label: 'Customer',
      width: 125,
      text: (item) => item.personName ?? item.reporterName ?? item.reporterEmail ?? '',
      render: (item) =>
        item.personId ? (
          <Anchor component={Link} to={`/people/${item.personId}`} size="sm" truncate>
            {item.personName ?? 'Customer'}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed" truncate>
            {item.reporterName ?? item.reporterEmail ?? 'Anonymous'}
          </Text>
        ),
    },
  ];
}
