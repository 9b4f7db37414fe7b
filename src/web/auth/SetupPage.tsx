import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Navigate, useNavigate } from 'react-router';
import { type Me, setupInput } from '../../shared/accounts.ts';
import { api } from '../app/api.ts';
import { useZodForm } from '../app/form.ts';
import { FullPageLoader } from '../app/guards.tsx';
import { signedIn, useSetupStatus } from '../app/session.ts';
import { FormError } from '../app/ui.tsx';
import { AuthLayout } from './AuthLayout.tsx';

export function SetupPage() {
  const status = useSetupStatus(true);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useZodForm(setupInput, { workspaceName: '', name: '', email: '', password: '' });

  if (status.isPending) return <FullPageLoader />;
  if (status.data && !status.data.needed) return <Navigate to="/login" replace />;

  const submit = form.onSubmit(async (values) => {
    const me = await api.post<Me>('/api/v1/setup', values);
    signedIn(queryClient, me);
    navigate('/', { replace: true });
  });

  return (
    <AuthLayout
      title="Set up your workspace"
      subtitle="Welcome to Rapport. Name your workspace and create the first admin account."
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError message={form.formError} />
          <TextInput
            label="Workspace name"
            placeholder="Acme Ltd"
            required
            autoFocus
            {...form.field('workspaceName')}
          />
          <TextInput
            label="Your name"
            placeholder="Ana Silva"
            required
            autoComplete="name"
            {...form.field('name')}
          />
          <TextInput
            label="Email"
            type="email"
            placeholder="ana@example.com"
            required
            autoComplete="email"
            {...form.field('email')}
          />
          <PasswordInput
            label="Password"
            description="At least 10 characters"
            required
            autoComplete="new-password"
            {...form.field('password')}
          />
          <Button type="submit" loading={form.submitting} fullWidth mt="xs">
            Create workspace
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
