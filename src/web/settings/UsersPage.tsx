import { Button, Menu, Modal, Select, Table, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { UpdateUserInput, User } from '../../shared/accounts.ts';
import { api, errorMessage } from '../app/api.ts';
import { useCan, useMe } from '../app/session.ts';
import { ConfirmModal, formatDate, LoadMore, PageHeader, QueryError, TableSkeleton } from '../app/ui.tsx';
import { StatusBadge } from './badges.tsx';
import { type Invited, InviteLink, InviteModal, roleOptions } from './InviteModal.tsx';
import { usePaged } from './paged.ts';

function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: UpdateUserInput }) =>
      api.patch<User>(`/api/v1/users/${id}`, patch),
    onSuccess: (user, { patch }) => {
      const message =
        patch.disabled === true
          ? `${user.name} was disabled and signed out.`
          : patch.disabled === false
            ? `${user.name} was enabled.`
            : patch.role
              ? `${user.name} is now ${user.role === 'admin' ? 'an' : 'a'} ${user.role}.`
              : `${user.name} was updated.`;
      notifications.show({ color: 'teal', message });
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Not saved', message: errorMessage(error) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}

function UserActions({ user, onInviteLink }: { user: User; onInviteLink: (invited: Invited) => void }) {
  const update = useUpdateUser();
  const [confirming, { open, close }] = useDisclosure(false);
  const resend = useMutation({
    mutationFn: () => api.post<Invited>(`/api/v1/users/${user.id}/invite`),
    onSuccess: onInviteLink,
    onError: (error) => notifications.show({ color: 'red', title: 'Not sent', message: errorMessage(error) }),
  });
  return (
    <>
      <Menu position="bottom-end" withArrow>
        <Menu.Target>
          <Button size="xs" variant="default" aria-label={`Actions for ${user.name}`}>
            Actions
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {user.status === 'invited' && (
            <Menu.Item onClick={() => resend.mutate()}>Send a new invite link</Menu.Item>
          )}
          {user.status === 'disabled' ? (
            <Menu.Item onClick={() => update.mutate({ id: user.id, patch: { disabled: false } })}>
              Enable user
            </Menu.Item>
          ) : (
            <Menu.Item color="red" onClick={open}>
              Disable user
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
      <ConfirmModal
        opened={confirming}
        onClose={close}
        title={`Disable ${user.name}?`}
        confirmLabel="Disable user"
        loading={update.isPending}
        onConfirm={() => update.mutate({ id: user.id, patch: { disabled: true } }, { onSettled: close })}
      >
        {user.name} will be signed out at once and can no longer sign in or use their API tokens. You can
        enable them again later.
      </ConfirmModal>
    </>
  );
}

function RoleSelect({ user }: { user: User }) {
  const update = useUpdateUser();
  return (
    <Select
      aria-label={`Role of ${user.name}`}
      data={roleOptions}
      value={user.role}
      onChange={(role) =>
        role && role !== user.role && update.mutate({ id: user.id, patch: { role: role as User['role'] } })
      }
      allowDeselect={false}
      disabled={update.isPending}
      size="xs"
      w={130}
    />
  );
}

export function UsersPage() {
  const can = useCan();
  const { data: me } = useMe();
  const manage = can('users.manage');
  const users = usePaged<User>('users', '/api/v1/users');
  const [inviting, { open, close }] = useDisclosure(false);
  const [link, setLink] = useState<Invited | null>(null);

  const rows = users.items.map((user) => (
    <Table.Tr key={user.id}>
      <Table.Td>
        <Text fw={500} size="sm">
          {user.name}
          {user.id === me?.user.id && (
            <Text span c="dimmed" size="xs">
              {' '}
              (you)
            </Text>
          )}
        </Text>
      </Table.Td>
      <Table.Td>{user.email}</Table.Td>
      <Table.Td>{manage ? <RoleSelect user={user} /> : user.role}</Table.Td>
      <Table.Td>
        <StatusBadge status={user.status} />
      </Table.Td>
      <Table.Td>{formatDate(user.lastLoginAt, 'Never')}</Table.Td>
      {manage && (
        <Table.Td ta="right">
          {user.id !== me?.user.id && <UserActions user={user} onInviteLink={setLink} />}
        </Table.Td>
      )}
    </Table.Tr>
  ));

  return (
    <>
      <PageHeader
        title="Users"
        description="The staff of your workspace and what they may do."
        actions={manage && <Button onClick={open}>Invite user</Button>}
      />
      {users.isPending ? (
        <TableSkeleton />
      ) : users.isError ? (
        <QueryError error={users.error} onRetry={() => users.refetch()} />
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Last sign-in</Table.Th>
                {manage && (
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>{rows}</Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore {...users} />
      <InviteModal opened={inviting} onClose={close} />
      <Modal opened={link !== null} onClose={() => setLink(null)} title="New invite link" centered size="lg">
        {link && <InviteLink invited={link} />}
      </Modal>
    </>
  );
}
