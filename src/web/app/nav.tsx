import { Badge, NavLink, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import type { Permission } from '../../shared/permissions.ts';
import {
  BuildingIcon,
  ClockIcon,
  GearIcon,
  HomeIcon,
  ImportIcon,
  KeyIcon,
  ListIcon,
  MailIcon,
  MergeIcon,
  SparkIcon,
  UserIcon,
  UsersIcon,
} from './icons.tsx';
import { useCan } from './session.ts';

interface Item {
  to: string;
  label: string;
  icon: ReactNode;
  permission?: Permission;
}

export const settingsItems: Item[] = [
  { to: '/settings/users', label: 'Users', icon: <UsersIcon />, permission: 'users.read' },
  { to: '/settings/tokens', label: 'API tokens', icon: <KeyIcon />, permission: 'tokens.manage' },
  { to: '/settings/audit', label: 'Audit log', icon: <ListIcon />, permission: 'audit.read' },
  { to: '/settings/outbox', label: 'Outbox', icon: <MailIcon />, permission: 'outbox.read' },
  { to: '/settings/jobs', label: 'Jobs', icon: <GearIcon />, permission: 'jobs.manage' },
  { to: '/settings/workspace', label: 'Workspace', icon: <GearIcon />, permission: 'workspace.manage' },
  {
    to: '/settings/custom-fields',
    label: 'Custom fields',
    icon: <ListIcon />,
    permission: 'customFields.manage',
  },
  { to: '/settings/listening', label: 'Listening', icon: <ClockIcon />, permission: 'listening.configure' },
  { to: '/settings/portal', label: 'Portal', icon: <GearIcon />, permission: 'portal.configure' },
  { to: '/settings/costs', label: 'Service costs', icon: <ClockIcon />, permission: 'costs.configure' },
  { to: '/settings/account', label: 'My account', icon: <UserIcon /> },
];

export const rolodexItems: Item[] = [
  { to: '/people', label: 'People', icon: <UsersIcon />, permission: 'people.read' },
  { to: '/organizations', label: 'Organizations', icon: <BuildingIcon />, permission: 'organizations.read' },
  { to: '/people/gone-quiet', label: 'Gone quiet', icon: <ClockIcon />, permission: 'people.read' },
  { to: '/people/import', label: 'Import', icon: <ImportIcon />, permission: 'people.import' },
  { to: '/people/duplicates', label: 'Duplicates', icon: <MergeIcon />, permission: 'people.merge' },
];

export const listeningItems: Item[] = [
  { to: '/items', label: 'Items', icon: <ListIcon />, permission: 'items.read' },
  { to: '/escalations', label: 'Escalations', icon: <SparkIcon />, permission: 'items.read' },
  { to: '/problems', label: 'Problems', icon: <MergeIcon />, permission: 'problems.read' },
];

export const portalItems: Item[] = [
  {
    to: '/portal-admin/suggestions',
    label: 'Suggestions board',
    icon: <SparkIcon />,
    permission: 'portal.read',
  },
  { to: '/portal-admin/articles', label: 'Knowledge base', icon: <ListIcon />, permission: 'portal.read' },
  { to: '/portal-admin/intents', label: 'Intentcasts', icon: <UsersIcon />, permission: 'portal.read' },
  { to: '/portal-admin/erasure', label: 'Erasure requests', icon: <UserIcon />, permission: 'portal.read' },
];

export const goalItems: Item[] = [
  { to: '/goals', label: 'Goals', icon: <SparkIcon />, permission: 'metrics.read' },
  { to: '/dashboard', label: 'Dashboard', icon: <HomeIcon />, permission: 'metrics.read' },
];

/** People's sub-pages live under /people, so "People" is active only on the list and person pages. */
const subPages = rolodexItems.map((item) => item.to).filter((to) => to.startsWith('/people/'));

const comingSoon: string[] = [];

function SectionLabel({ children }: { children: ReactNode }) {
  return (
    <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mt="md" mb={4}>
      {children}
    </Text>
  );
}

function isActive(to: string, pathname: string): boolean {
  if (to === '/') return pathname === '/';
  if (to === '/people')
    return pathname.startsWith('/people') && !subPages.some((sub) => pathname.startsWith(sub));
  return pathname.startsWith(to);
}

export function Nav({ onNavigate }: { onNavigate: () => void }) {
  const can = useCan();
  const { pathname } = useLocation();
  const link = (item: Item) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={item.label}
      leftSection={item.icon}
      active={isActive(item.to, pathname)}
      onClick={onNavigate}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
    />
  );
  return (
    <Stack gap={2} component="nav" aria-label="Main">
      {link({ to: '/', label: 'Home', icon: <HomeIcon /> })}
      <SectionLabel>Rolodex</SectionLabel>
      {rolodexItems.filter((item) => !item.permission || can(item.permission)).map(link)}
      <SectionLabel>Listening</SectionLabel>
      {listeningItems.filter((item) => !item.permission || can(item.permission)).map(link)}
      <SectionLabel>Portal</SectionLabel>
      {portalItems.filter((item) => !item.permission || can(item.permission)).map(link)}
      <SectionLabel>Goals</SectionLabel>
      {goalItems.filter((item) => !item.permission || can(item.permission)).map(link)}
      {comingSoon.length > 0 && <SectionLabel>Coming soon</SectionLabel>}
      {comingSoon.map((label) => (
        <NavLink
          key={label}
          label={label}
          leftSection={<SparkIcon />}
          rightSection={
            <Badge size="xs" variant="light" color="gray">
              Soon
            </Badge>
          }
          disabled
          aria-disabled="true"
          style={{ borderRadius: 'var(--mantine-radius-md)' }}
        />
      ))}
      <SectionLabel>Settings</SectionLabel>
      {settingsItems.filter((item) => !item.permission || can(item.permission)).map(link)}
    </Stack>
  );
}
