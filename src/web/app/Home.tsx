import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { RecentPeople } from '../people/RecentPeople.tsx';
import {
  BuildingIcon,
  ClockIcon,
  ImportIcon,
  KeyIcon,
  ListIcon,
  MergeIcon,
  SparkIcon,
  UserIcon,
  UsersIcon,
} from './icons.tsx';
import { useCan, useMe } from './session.ts';

function Step({
  icon,
  title,
  text,
  action,
}: {
  icon: ReactNode;
  title: string;
  text: string;
  action: ReactNode;
}) {
  return (
    <Card withBorder radius="md" padding="lg">
      <Stack gap="sm" h="100%">
        <ThemeIcon variant="light" size={40} radius="md">
          {icon}
        </ThemeIcon>
        <Title order={3} size="h4">
          {title}
        </Title>
        <Text size="sm" c="dimmed" style={{ flexGrow: 1 }}>
          {text}
        </Text>
        <div>{action}</div>
      </Stack>
    </Card>
  );
}

const upcoming = [
  { name: 'Portal', text: 'Customers see and correct what you hold about them, and follow their requests.' },
  { name: 'Goals', text: 'Measurable goals whose KPIs are computed from your data, never typed in.' },
];

function Shortcut({ to, icon, title, text }: { to: string; icon: ReactNode; title: string; text: string }) {
  return (
    <Card withBorder radius="md" padding="md" component={Link} to={to} style={{ textDecoration: 'none' }}>
      <Group gap="sm" wrap="nowrap">
        <ThemeIcon variant="light" size={36} radius="md">
          {icon}
        </ThemeIcon>
        <Stack gap={0}>
          <Text fw={600}>{title}</Text>
          <Text size="xs" c="dimmed">
            {text}
          </Text>
        </Stack>
      </Group>
    </Card>
  );
}

export function Home() {
  const { data: me } = useMe();
  const can = useCan();
  useDocumentTitle('Home · Rapport');
  if (!me) return null;
  const firstName = me.user.name.split(/\s+/)[0];
  return (
    <Stack gap="xl">
      <Stack gap={4}>
        <Title order={1}>Welcome, {firstName}</Title>
        <Text c="dimmed">
          You are signed in to <b>{me.workspace.name}</b> as {me.user.role === 'admin' ? 'an' : 'a'}{' '}
          {me.user.role}.
        </Text>
      </Stack>

      <Stack gap="sm">
        <Title order={2} size="h3">
          Your Rolodex
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          <Shortcut to="/people" icon={<UsersIcon />} title="People" text="Everyone the team knows" />
          <Shortcut
            to="/organizations"
            icon={<BuildingIcon />}
            title="Organizations"
            text="Where they work"
          />
          <Shortcut
            to="/people/gone-quiet"
            icon={<ClockIcon />}
            title="Gone quiet"
            text="Not contacted lately"
          />
          {can('people.import') && (
            <Shortcut to="/people/import" icon={<ImportIcon />} title="Import" text="CSV or vCard contacts" />
          )}
        </SimpleGrid>
        <RecentPeople />
      </Stack>

      <Stack gap="sm">
        <Title order={2} size="h3">
          Listening
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          <Shortcut
            to="/items?queue=unowned"
            icon={<ListIcon />}
            title="Unowned items"
            text="Customer voices nobody has taken yet"
          />
          <Shortcut
            to="/items?queue=mine"
            icon={<UserIcon />}
            title="Mine"
            text="Yours until the loop is closed"
          />
          <Shortcut
            to="/items?queue=breaching_soon"
            icon={<ClockIcon />}
            title="Breaching soon"
            text="SLAs about to run out (press i to log an item)"
          />
          <Shortcut
            to="/problems"
            icon={<MergeIcon />}
            title="Problems"
            text="Root causes shared by many items"
          />
        </SimpleGrid>
      </Stack>

      <Stack gap="sm">
        <Title order={2} size="h3">
          Next steps
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {can('users.manage') && (
            <Step
              icon={<UsersIcon />}
              title="Invite your team"
              text="Add colleagues as admins, managers, agents or executives. They get an email with a link to choose a password."
              action={
                <Button component={Link} to="/settings/users" size="sm">
                  Invite people
                </Button>
              }
            />
          )}
          <Step
            icon={<KeyIcon />}
            title="Connect your tools"
            text="Create an API token to import data or connect other systems to the REST API."
            action={
              <Group gap="sm">
                <Button component={Link} to="/settings/tokens" size="sm" variant="light">
                  API tokens
                </Button>
                <Anchor href="/api/docs" size="sm" target="_blank" rel="noreferrer">
                  API reference
                </Anchor>
              </Group>
            }
          />
          <Step
            icon={<UserIcon />}
            title="Secure your account"
            text="Check your details and change your password whenever you need to."
            action={
              <Button component={Link} to="/settings/account" size="sm" variant="light">
                My account
              </Button>
            }
          />
        </SimpleGrid>
      </Stack>

      <Stack gap="sm">
        <Group gap="xs">
          <Title order={2} size="h3">
            Coming soon
          </Title>
          <Badge variant="light" color="gray">
            In development
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          Rapport is being built module by module. These are next; they are not available yet.
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {upcoming.map((module) => (
            <Card key={module.name} withBorder radius="md" padding="md">
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <ThemeIcon variant="light" color="gray" radius="md">
                  <SparkIcon size={16} />
                </ThemeIcon>
                <Stack gap={2}>
                  <Text fw={600}>{module.name}</Text>
                  <Text size="sm" c="dimmed">
                    {module.text}
                  </Text>
                </Stack>
              </Group>
            </Card>
          ))}
        </SimpleGrid>
      </Stack>
    </Stack>
  );
}
