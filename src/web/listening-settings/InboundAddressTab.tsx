import { Alert, Code, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { InboundAddressSettings } from '../../shared/conversation.ts';
import { api, errorMessage } from '../app/api.ts';
import { AlertIcon } from '../app/icons.tsx';
import { useCan } from '../app/session.ts';
import { NoAccess, QueryError, TableSkeleton } from '../app/ui.tsx';
import { pathErrors, SettingsActions } from './common.tsx';

const key = ['inbound-address'] as const;

export function InboundAddressTab({ onDirty }: { onDirty: (dirty: boolean) => void }) {
  const can = useCan();
  const allowed = can('workspace.manage');
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: key,
    queryFn: () => api.get<InboundAddressSettings>('/api/v1/inbound-address'),
    enabled: allowed,
  });
  const [address, setAddress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const saved = query.data?.address ?? '';
  if (query.data && address === null) setAddress(saved);
  const dirty = address !== null && address.trim() !== saved;
  useEffect(() => onDirty(dirty), [dirty, onDirty]);

  if (!allowed) return <NoAccess />;
  if (query.isPending || address === null) return <TableSkeleton rows={2} />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => query.refetch()} />;

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const next = await api.put<InboundAddressSettings>('/api/v1/inbound-address', {
        address: address.trim() || null,
      });
      queryClient.setQueryData(key, next);
      setAddress(next.address ?? '');
      notifications.show({
        color: 'teal',
        message: next.address ? `Mail to ${next.address} now becomes items.` : 'No inbound address any more.',
      });
    } catch (failure) {
      const found = pathErrors(failure);
      setError(found.address ?? errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack maw={720}>
      <Text size="sm" c="dimmed">
        New mail to this address becomes items (the kind is guessed and can be changed). Customers' answers to
        Rapport's messages come back through their reply address and are threaded into the item.
      </Text>
      {!query.data.receiverEnabled && (
        <Alert
          color="orange"
          variant="light"
          icon={<AlertIcon />}
          title="The mail receiver is off on this server"
        >
          Set <Code>INBOUND_SMTP_PORT</Code> (and point the address's MX record or a forward at it) to receive
          mail.
        </Alert>
      )}
      <Paper withBorder radius="md" p="md">
        <Stack>
          <TextInput
            label="Inbound address"
            placeholder="support@example.com"
            description="Leave empty to receive no new mail as items."
            value={address}
            onChange={(e) => {
              setAddress(e.currentTarget.value);
              setError(null);
            }}
            error={error}
            type="email"
          />
          <Group gap={6}>
            <Text size="sm" c="dimmed">
              Reply addresses:
            </Text>
            <Code>reply+&lt;token&gt;@{query.data.replyDomain}</Code>
          </Group>
        </Stack>
      </Paper>
      <SettingsActions
        dirty={dirty}
        saving={saving}
        error={null}
        onSave={() => void save()}
        onDiscard={() => {
          setAddress(saved);
          setError(null);
        }}
      />
    </Stack>
  );
}
