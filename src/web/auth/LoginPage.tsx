import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { loginInput, type Me } from '../../shared/accounts.ts';
import { api } from '../app/api.ts';
import { useZodForm } from '../app/form.ts';
import { FullPageLoader } from '../app/guards.tsx';
import { signedIn, useMe, useSetupStatus } from '../app/session.ts';
import { FormError } from '../app/ui.tsx';
import { AuthLayout } from './AuthLayout.tsx';

export function LoginPage() {
  const me = useMe();
  const setup = useSetupStatus(true);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const form = useZodForm(loginInput, { email: '', password: '' });

  if (me.isPending || setup.isPending) return <FullPageLoader />;
  if (me.data) return <Navigate to={from} replace />;
  if (setup.data?.needed) return <Navigate to="/setup" replace />;

  const submit = form.onSubmit(async (values) => {
    const signedInMe = await api.post<Me>('/api/v1/auth/login', values);
    signedIn(queryClient, signedInMe);
    navigate(from, { replace: true });
  });

  return (
    <AuthLayout title="Sign in" subtitle="Use the email and password of your Rapport account.">
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError message={form.formError} />
          <TextInput
            label="Email"
            type="email"
            placeholder="ana@example.com"
            required
            autoFocus
            autoComplete="username"
            {...form.field('email')}
          />
          <PasswordInput
            label="Password"
            required
            autoComplete="current-password"
            {...form.field('password')}
          />
          <Button type="submit" loading={form.submitting} fullWidth mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
