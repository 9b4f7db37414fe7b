import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  type LadderLevel,
  ladderLevelLabels,
  ladderLevelOfRole,
  ladderLevels,
} from '../../shared/listening.ts';
import type { LadderInput, LadderUser, Team } from '../../shared/listening-settings.ts';
import { ApiError, api, errorMessage } from '../app/api.ts';
import { ConfirmModal, QueryError, TableSkeleton } from '../app/ui.tsx';
import { useStaff } from '../problems/api.ts';

const teamsKey = ['teams'] as const;
const roleLevel = (role: string): LadderLevel =>
  (ladderLevelOfRole as Record<string, LadderLevel>)[role] ?? 'agent';

function useTeams() {
  return useQuery({
    queryKey: teamsKey,
    queryFn: async () => (await api.get<{ data: Team[] }>('/api/v1/teams?limit=200')).data,
  });
}

function Teams() {
  const queryClient = useQueryClient();
  const teams = useTeams();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Team | null>(null);
  const create = useMutation({
    mutationFn: (teamName: string) => api.post<Team>('/api/v1/teams', { name: teamName }),
    onSuccess: (team) => {
      setName('');
      setError(null);
      notifications.show({ color: 'teal', message: `Team ${team.name} created.` });
    },
    onError: (failure) =>
      setError(
        failure instanceof ApiError && failure.errors[0] ? failure.errors[0].message : errorMessage(failure),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: teamsKey }),
  });
  const remove = useMutation({
    mutationFn: (team: Team) => api.delete(`/api/v1/teams/${team.id}`),
    onSuccess: (_, team) => {
      setRemoving(null);
      notifications.show({ message: `Team ${team.name} deleted.` });
    },
    onError: (failure) =>
      notifications.show({ color: 'red', title: 'Not deleted', message: errorMessage(failure) }),
    onSettled: () => {
      queryClient.invalidateQueries({ queryKey: teamsKey });
      queryClient.invalidateQueries({ queryKey: ['users', 'ladder'] });
    },
  });
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={3} size="h5" mb="xs">
        Teams
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        An item assigned to someone joins their team's queue ("My team's" on the Items page).
      </Text>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (name.trim()) create.mutate(name.trim());
          else setError('Name the team.');
        }}
      >
        <Group align="flex-start" gap="xs" mb="sm">
          <TextInput
            aria-label="New team name"
            placeholder="e.g. Support Europe"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={error}
            maxLength={100}
          />
          <Button type="submit" variant="default" loading={create.isPending}>
            Add team
          </Button>
        </Group>
      </form>
      {teams.isPending ? (
        <TableSkeleton rows={2} />
      ) : teams.isError ? (
        <QueryError error={teams.error} onRetry={() => teams.refetch()} />
      ) : teams.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No teams yet.
        </Text>
      ) : (
        <Group gap="xs" aria-label="Teams">
          {teams.data.map((team) => (
            <Badge
              key={team.id}
              size="lg"
              variant="light"
              tt="none"
              rightSection={
                <ActionIcon
                  size="xs"
                  variant="transparent"
                  aria-label={`Delete team ${team.name}`}
                  onClick={() => setRemoving(team)}
                >
                  ×
                </ActionIcon>
              }
            >
              {team.name} · {team.memberCount} member{team.memberCount === 1 ? '' : 's'}
            </Badge>
          ))}
        </Group>
      )}
      <ConfirmModal
        opened={removing !== null}
        title={`Delete team ${removing?.name ?? ''}?`}
        confirmLabel="Delete team"
        loading={remove.isPending}
        onClose={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate(removing)}
      >
        Its {removing?.memberCount ?? 0} member(s) and its items are left without a team.
      </ConfirmModal>
    </Paper>
  );
}

function Ladder() {
  const queryClient = useQueryClient();
  const staff = useStaff();
  const teams = useTeams();
  const update = useMutation({
    mutationFn: ({ user, input }: { user: { id: string; name: string }; input: LadderInput }) =>
      api.put<LadderUser>(`/api/v1/users/${user.id}/ladder`, input),
    onSuccess: (saved) => notifications.show({ color: 'teal', message: `${saved.name} updated.` }),
    onError: (failure) =>
      notifications.show({ color: 'red', title: 'Not saved', message: errorMessage(failure) }),
    onSettled: () => {
      queryClient.invalidateQueries({ queryKey: ['users', 'ladder'] });
      queryClient.invalidateQueries({ queryKey: teamsKey });
    },
  });
  const teamOptions = (teams.data ?? []).map((team) => ({ value: team.id, label: team.name }));
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={3} size="h5" mb="xs">
        The escalation ladder
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Escalations notify everyone at the level an item is raised to. Without an explicit level, agents are
        agents, managers and admins are managers, executives are executives; leads are named here.
      </Text>
      {staff.isPending ? (
        <TableSkeleton rows={3} />
      ) : staff.isError ? (
        <QueryError error={staff.error} onRetry={() => staff.refetch()} />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" aria-label="Staff on the ladder">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Ladder level</Table.Th>
                <Table.Th>Team</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {staff.data.map((user) => (
                <Table.Tr key={user.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {user.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {user.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>{user.role}</Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      w={200}
                      aria-label={`Ladder level of ${user.name}`}
                      data={[
                        {
                          value: 'role',
                          label: `From the role (${ladderLevelLabels[roleLevel(user.role)]})`,
                        },
                        ...ladderLevels.map((level) => ({ value: level, label: ladderLevelLabels[level] })),
                      ]}
                      value={user.explicitLevel ?? 'role'}
                      allowDeselect={false}
                      disabled={update.isPending}
                      onChange={(value) =>
                        value &&
                        update.mutate({
                          user,
                          input: {
                            ladderLevel: value === 'role' ? null : (value as LadderInput['ladderLevel']),
                            teamId: user.teamId,
                          },
                        })
                      }
                    />
                  </Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      w={200}
                      aria-label={`Team of ${user.name}`}
                      data={teamOptions}
                      value={user.teamId}
                      placeholder="No team"
                      clearable
                      disabled={update.isPending}
                      onChange={(value) =>
                        update.mutate({ user, input: { ladderLevel: user.explicitLevel, teamId: value } })
                      }
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

export function TeamsTab() {
  return (
    <Stack>
      <Teams />
      <Ladder />
    </Stack>
  );
}
