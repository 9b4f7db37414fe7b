import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { inviteUserInput, type User } from '../../shared/accounts.ts';
import { type Role, roles } from '../../shared/roles.ts';
import { api } from '../app/api.ts';
import { useZodForm } from '../app/form.ts';
import { CopyValue, FormError } from '../app/ui.tsx';

export const roleOptions = roles.map((role) => ({
  value: role,
  label: role[0]!.toUpperCase() + role.slice(1),
}));

export interface Invited {
  user: User;
  inviteUrl: string;
}

/** Shows an invite link once it exists, with a copy button. */
export function InviteLink({ invited }: { invited: Invited }) {
  return (
    <Stack>
      <Alert color="teal" variant="light" title="Invitation created">
        An invitation email to <b>{invited.user.email}</b> was queued; see the Outbox for its delivery. If
        email is not configured, send them this link yourself. It works for 7 days.
      </Alert>
      <Group gap="xs" wrap="nowrap" align="flex-end">
        <TextInput
          label="Invite link"
          value={invited.inviteUrl}
          readOnly
          style={{ flex: 1 }}
          onFocus={(event) => event.currentTarget.select()}
        />
        <CopyValue value={invited.inviteUrl} label="Copy invite link" />
      </Group>
    </Stack>
  );
}

function InviteForm({ onInvited }: { onInvited: (invited: Invited) => void }) {
  const queryClient = useQueryClient();
  const form = useZodForm(inviteUserInput, { email: '', name: '', role: 'agent' });
  const submit = form.onSubmit(async (values) => {
    const invited = await api.post<Invited>('/api/v1/users', values);
    await queryClient.invalidateQueries({ queryKey: ['users'] });
    notifications.show({ color: 'teal', message: `Invited ${invited.user.name}.` });
    onInvited(invited);
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError message={form.formError} />
        <TextInput label="Email" type="email" required data-autofocus {...form.field('email')} />
        <TextInput label="Name" required {...form.field('name')} />
        <Select
          label="Role"
          data={roleOptions}
          value={form.values.role as string}
          onChange={(value) => value && form.setField('role', value as Role)}
          error={form.errors.role}
          allowDeselect={false}
          required
        />
        <Text size="xs" c="dimmed">
          Admins manage users and settings; managers and executives see the team; agents work with customers.
        </Text>
        <Group justify="flex-end">
          <Button type="submit" loading={form.submitting}>
            Send invitation
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function InviteModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [invited, setInvited] = useState<Invited | null>(null);
  const [round, setRound] = useState(0);
  const reset = () => {
    setInvited(null);
    setRound((value) => value + 1);
  };
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      onExitTransitionEnd={reset}
      title="Invite a user"
      centered
      size="lg"
    >
      {invited ? (
        <Stack>
          <InviteLink invited={invited} />
          <Group justify="flex-end">
            <Button variant="default" onClick={reset}>
              Invite another
            </Button>
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <InviteForm key={round} onInvited={setInvited} />
      )}
    </Modal>
  );
}
