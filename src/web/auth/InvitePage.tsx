import { Alert, Button, Center, Loader, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { acceptInviteInput, type Me } from '../../shared/accounts.ts';
import { api, errorMessage } from '../app/api.ts';
import { useZodForm } from '../app/form.ts';
import { signedIn } from '../app/session.ts';
import { FormError } from '../app/ui.tsx';
import { AuthLayout } from './AuthLayout.tsx';

interface InviteInfo {
  email: string;
  name: string;
  workspaceName: string;
}

function AcceptForm({ token, invite }: { token: string; invite: InviteInfo }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useZodForm(acceptInviteInput, { name: invite.name, password: '' });
  const submit = form.onSubmit(async (values) => {
    const me = await api.post<Me>(`/api/v1/invites/${encodeURIComponent(token)}/accept`, values);
    signedIn(queryClient, me);
    navigate('/', { replace: true });
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError message={form.formError} />
        <TextInput label="Your name" required autoComplete="name" {...form.field('name')} />
        <PasswordInput
          label="Choose a password"
          description="At least 10 characters"
          required
          autoFocus
          autoComplete="new-password"
          {...form.field('password')}
        />
        <Button type="submit" loading={form.submitting} fullWidth mt="xs">
          Join workspace
        </Button>
      </Stack>
    </form>
  );
}

export function InvitePage() {
  const { token = '' } = useParams();
  const invite = useQuery({
    queryKey: ['invite', token],
    queryFn: () => api.get<InviteInfo>(`/api/v1/invites/${encodeURIComponent(token)}`),
    retry: false,
  });

  if (invite.isPending) {
    return (
      <AuthLayout title="Your invitation">
        <Center py="xl">
          <Loader aria-label="Loading" />
        </Center>
      </AuthLayout>
    );
  }
  if (invite.isError) {
    return (
      <AuthLayout title="This invite link cannot be used">
        <Stack>
          <Alert color="orange" variant="light" role="alert">
            {errorMessage(invite.error)}
          </Alert>
          <Text size="sm" c="dimmed">
            Ask an admin of your workspace to send you a new invitation. If you already have an account, sign
            in.
          </Text>
          <Button component={Link} to="/login" variant="default">
            Go to sign in
          </Button>
        </Stack>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title={`Join ${invite.data.workspaceName}`}
      subtitle={
        <>
          You were invited to Rapport as <b>{invite.data.email}</b>. Choose a password to finish.
        </>
      }
    >
      <AcceptForm token={token} invite={invite.data} />
    </AuthLayout>
  );
}
