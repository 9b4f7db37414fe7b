import {
  Badge,
  Button,
  Card,
  Code,
  Group,
  Modal,
  PasswordInput,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { passwordChangeInput } from '../../shared/accounts.ts';
import type { DigestPreference, DigestPreview } from '../../shared/digest.ts';
import { api, errorMessage } from '../app/api.ts';
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

/** The weekly goals digest email: on or off, and a preview of this week's. */
function DigestSwitch() {
  const queryClient = useQueryClient();
  const [previewOpen, setPreviewOpen] = useState(false);
  const preference = useQuery({
    queryKey: ['me', 'digest'],
    queryFn: () => api.get<DigestPreference>('/api/v1/me/digest'),
  });
  const preview = useQuery({
    queryKey: ['digest', 'preview'],
    queryFn: () => api.get<DigestPreview>('/api/v1/digest/preview'),
    enabled: previewOpen,
  });
  const save = useMutation({
    mutationFn: (enabled: boolean) => api.put<DigestPreference>('/api/v1/me/digest', { enabled }),
    onSuccess: (data) => queryClient.setQueryData(['me', 'digest'], data),
    onError: (error) => notifications.show({ color: 'red', message: errorMessage(error) }),
  });
  return (
    <Stack gap="sm">
      <Switch
        label="Weekly digest email"
        description="Every Monday morning: your goals' status changes, the biggest movers, SLA breaches and escalations. Executives hear about every goal."
        checked={preference.data?.enabled ?? false}
        disabled={!preference.data || save.isPending}
        onChange={(event) => save.mutate(event.currentTarget.checked)}
      />
      <Group>
        <Button variant="light" size="xs" onClick={() => setPreviewOpen(true)}>
          Preview this week's digest
        </Button>
      </Group>
      <Modal opened={previewOpen} onClose={() => setPreviewOpen(false)} title="This week's digest" size="xl">
        {preview.isLoading && <Text size="sm">Computing…</Text>}
        {preview.error && <Text c="red">{errorMessage(preview.error)}</Text>}
        {preview.data && (
          <Stack gap="sm">
            {preview.data.reason && <Text size="sm">You would not receive it: {preview.data.reason}</Text>}
            <Text fw={700} size="sm">
              {preview.data.subject}
            </Text>
            <Code block>{preview.data.text}</Code>
          </Stack>
        )}
      </Modal>
    </Stack>
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
        <Card withBorder radius="md" padding="lg">
          <Title order={2} size="h4" mb="md">
            Email
          </Title>
          <DigestSwitch />
        </Card>
      </Stack>
    </>
  );
}
