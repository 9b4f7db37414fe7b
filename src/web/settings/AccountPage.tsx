import { Badge, Button, Card, Group, PasswordInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { passwordChangeInput } from '../../shared/accounts.ts';
import { api } from '../app/api.ts';
import { useZodForm } from '../app/form.ts';
import { useMe } from '../app/session.ts';
import { FormError, formatDate, PageHeader } from '../app/ui.tsx';

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

function PasswordForm() {
  const form = useZodForm(passwordChangeInput, { currentPassword: '', newPassword: '' });
  const submit = form.onSubmit(async (values) => {
    await api.post('/api/v1/me/password', values);
    form.reset();
    notifications.show({
      color: 'teal',
      message: 'Your password was changed. Your other sessions were signed out.',
    });
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={420}>
        <FormError message={form.formError} />
        <PasswordInput
          label="Current password"
          required
          autoComplete="current-password"
          {...form.field('currentPassword')}
        />
        <PasswordInput
          label="New password"
          description="At least 10 characters"
          required
          autoComplete="new-password"
          {...form.field('newPassword')}
        />
        <Group>
          <Button type="submit" loading={form.submitting}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function AccountPage() {
  const { data: me } = useMe();
  if (!me) return null;
  return (
    <>
      <PageHeader title="My account" description="Your details in this workspace." />
      <Stack gap="lg">
        <Card withBorder radius="md" padding="lg">
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
            <Detail label="Name">{me.user.name}</Detail>
            <Detail label="Email">{me.user.email}</Detail>
            <Detail label="Role">
              <Badge variant="light">{me.user.role}</Badge>
            </Detail>
            <Detail label="Workspace">{me.workspace.name}</Detail>
            <Detail label="Member since">{formatDate(me.user.createdAt)}</Detail>
            <Detail label="Last sign-in">{formatDate(me.user.lastLoginAt, 'Never')}</Detail>
          </SimpleGrid>
        </Card>
        <Card withBorder radius="md" padding="lg">
          <Title order={2} size="h4" mb="md">
            Change password
          </Title>
          <PasswordForm />
        </Card>
      </Stack>
    </>
  );
}
