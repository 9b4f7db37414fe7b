import {
  Alert,
  Button,
  Code,
  Group,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type ApiToken, createTokenInput } from '../../shared/accounts.ts';
import { api, errorMessage } from '../app/api.ts';
import { useZodForm } from '../app/form.ts';
import { KeyIcon } from '../app/icons.tsx';
import {
  ConfirmModal,
  CopyValue,
  FormError,
  formatDate,
  PageHeader,
  QueryError,
  TableSkeleton,
} from '../app/ui.tsx';

type CreatedToken = ApiToken & { token: string };

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const queryClient = useQueryClient();
  const form = useZodForm(createTokenInput, { name: '' });
  const submit = form.onSubmit(async (values) => {
    const created = await api.post<CreatedToken>('/api/v1/tokens', values);
    await queryClient.invalidateQueries({ queryKey: ['tokens'] });
    form.reset();
    onCreated(created);
  });
  return (
    <Paper withBorder p="md" radius="md" mb="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          <FormError message={form.formError} />
          <Group align="flex-start" gap="sm">
            <TextInput
              label="Token name"
              placeholder="e.g. Import script"
              description="A name that tells you where the token is used."
              style={{ flex: '1 1 240px' }}
              {...form.field('name')}
            />
            <Button type="submit" loading={form.submitting} mt={{ base: 0, xs: 45 }}>
              Create token
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function SecretModal({ token, onClose }: { token: CreatedToken | null; onClose: () => void }) {
  return (
    <Modal opened={token !== null} onClose={onClose} title="Your new API token" centered size="lg">
      {token && (
        <Stack>
          <Alert color="orange" variant="light" title="Copy it now">
            This is the only time the secret is shown. Store it somewhere safe; if you lose it, revoke it and
            create a new one.
          </Alert>
          <Group gap="xs" wrap="nowrap" align="flex-end">
            <TextInput
              label={`Secret of "${token.name}"`}
              value={token.token}
              readOnly
              style={{ flex: 1 }}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              onFocus={(event) => event.currentTarget.select()}
            />
            <CopyValue value={token.token} label="Copy token" />
          </Group>
          <Text size="sm" c="dimmed">
            Use it as the header <Code>Authorization: Bearer {'<token>'}</Code>.
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>I have copied it</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

export function TokensPage() {
  const queryClient = useQueryClient();
  const tokens = useQuery({
    queryKey: ['tokens'],
    queryFn: () => api.get<{ data: ApiToken[] }>('/api/v1/tokens'),
  });
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const revoke = useMutation({
    mutationFn: (token: ApiToken) => api.delete(`/api/v1/tokens/${token.id}`),
    onSuccess: (_, token) =>
      notifications.show({ color: 'teal', message: `Token "${token.name}" was revoked.` }),
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Not revoked', message: errorMessage(error) }),
    onSettled: () => {
      setRevoking(null);
      return queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
  });

  let content: React.ReactNode;
  if (tokens.isPending) content = <TableSkeleton rows={2} />;
  else if (tokens.isError) content = <QueryError error={tokens.error} onRetry={() => tokens.refetch()} />;
  else if (tokens.data.data.length === 0)
    content = (
      <Stack align="center" gap="xs" py="xl" c="dimmed">
        <KeyIcon size={32} />
        <Text>No API tokens yet — create one to use the API.</Text>
      </Stack>
    );
  else
    content = (
      <Table.ScrollContainer minWidth={620}>
        <Table verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Starts with</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data.data.map((token) => (
              <Table.Tr key={token.id}>
                <Table.Td fw={500}>{token.name}</Table.Td>
                <Table.Td>
                  <Code>{token.prefix}…</Code>
                </Table.Td>
                <Table.Td>{formatDate(token.createdAt)}</Table.Td>
                <Table.Td>{formatDate(token.lastUsedAt, 'Never')}</Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="xs"
                    variant="light"
                    color="red"
                    onClick={() => setRevoking(token)}
                    aria-label={`Revoke ${token.name}`}
                  >
                    Revoke
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let scripts and other systems use the Rapport API as you. Each acts with your role."
      />
      <CreateTokenForm onCreated={setCreated} />
      {content}
      <SecretModal token={created} onClose={() => setCreated(null)} />
      <ConfirmModal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title="Revoke this token?"
        confirmLabel="Revoke token"
        loading={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      >
        Anything using "{revoking?.name}" stops working at once. This cannot be undone.
      </ConfirmModal>
    </>
  );
}
