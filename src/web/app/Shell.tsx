import {
  ActionIcon,
  AppShell,
  Avatar,
  Badge,
  Burger,
  Group,
  Menu,
  ScrollArea,
  Text,
  Tooltip,
  UnstyledButton,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import { Link, Outlet, useNavigate } from 'react-router';
import type { Me } from '../../shared/accounts.ts';
import { LogInteractionModal } from '../interactions/LogInteractionModal.tsx';
import { LogItemButton } from '../items/QuickItemModal.tsx';
import { NotificationBell } from '../notifications/NotificationBell.tsx';
import { GlobalSearch } from '../search/GlobalSearch.tsx';
import { LogoutIcon, MoonIcon, PhoneIcon, SunIcon, UserIcon } from './icons.tsx';
import { Nav } from './nav.tsx';
import { useCan, useSignOut } from './session.ts';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');
}

function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light', { getInitialValueInEffect: false });
  const next = computed === 'dark' ? 'light' : 'dark';
  const label = `Switch to ${next} mode`;
  return (
    <Tooltip label={label} withArrow>
      <ActionIcon variant="default" size="lg" aria-label={label} onClick={() => setColorScheme(next)}>
        {computed === 'dark' ? <SunIcon /> : <MoonIcon />}
      </ActionIcon>
    </Tooltip>
  );
}

function UserMenu({ me }: { me: Me }) {
  const signOut = useSignOut();
  const navigate = useNavigate();
  const onSignOut = async () => {
    try {
      await signOut();
    } finally {
      notifications.show({ message: 'You are signed out.' });
      navigate('/login', { replace: true });
    }
  };
  return (
    <Menu position="bottom-end" width={240} withArrow>
      <Menu.Target>
        <UnstyledButton aria-label={`Account menu for ${me.user.name}`} style={{ borderRadius: 999 }}>
          <Avatar color="indigo" radius="xl" size={36}>
            {initials(me.user.name)}
          </Avatar>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate>
            {me.user.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {me.user.email}
          </Text>
          <Badge size="xs" variant="light" mt={6}>
            {me.user.role}
          </Badge>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item component={Link} to="/settings/account" leftSection={<UserIcon size={16} />}>
          My account
        </Menu.Item>
        <Menu.Item leftSection={<LogoutIcon size={16} />} onClick={onSignOut}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** "Log interaction" from anywhere: the quick form for a call, meeting or message. */
function LogInteractionButton() {
  const can = useCan();
  const [opened, { open, close }] = useDisclosure(false);
  if (!can('interactions.write')) return null;
  return (
    <>
      <Tooltip label="Log a call, meeting or message" withArrow>
        {/* Phones: no room next to the bell; person pages keep their "Log interaction" button. */}
        <ActionIcon variant="default" size="lg" aria-label="Log interaction" onClick={open} visibleFrom="xs">
          <PhoneIcon />
        </ActionIcon>
      </Tooltip>
      <LogInteractionModal opened={opened} onClose={close} />
    </>
  );
}

export function Shell({ me, children }: { me: Me; children?: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'md', sm: 'xl' }}
    >
      <AppShell.Header>
        <Group h="100%" px={{ base: 8, sm: 'md' }} justify="space-between" wrap="nowrap">
          <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
            />
            <Text component={Link} to="/" fw={800} size="lg" c="indigo" style={{ textDecoration: 'none' }}>
              Rapport
            </Text>
            <Text c="dimmed" size="sm" truncate visibleFrom="md">
              {me.workspace.name}
            </Text>
          </Group>
          <Group gap={6} wrap="nowrap">
            <GlobalSearch />
            <LogItemButton />
            <LogInteractionButton />
            <NotificationBell />
            <ColorSchemeToggle />
            <UserMenu me={me} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        {/* The nav grew with the Rolodex section: it scrolls on short screens. */}
        <AppShell.Section grow component={ScrollArea} type="auto">
          <Nav onNavigate={close} />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <div style={{ maxWidth: 1280, margin: '0 auto' }}>{children ?? <Outlet />}</div>
      </AppShell.Main>
    </AppShell>
  );
}
