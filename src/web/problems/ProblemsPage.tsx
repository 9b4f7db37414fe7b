import { Anchor, Button, Center, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, useSearchParams } from 'react-router';
import { type ProblemStatus, problemStatuses, problemStatusLabels } from '../../shared/problems.ts';
import { useCan } from '../app/session.ts';
import { formatDate, LoadMore, PageHeader, QueryError, TableSkeleton } from '../app/ui.tsx';
import { staffName, useProblems, useStaff } from './api.ts';
import { ProblemStatusBadge } from './badges.tsx';
import { NewProblemModal } from './NewProblemModal.tsx';

const filters = [
  { value: 'open', label: 'Open' },
  ...problemStatuses.map((status) => ({ value: status, label: problemStatusLabels[status] })),
  { value: 'all', label: 'All' },
];

function EmptyProblems({ filtered, onCreate }: { filtered: boolean; onCreate?: () => void }) {
  return (
    <Center py={48}>
      <Stack align="center" gap="xs" maw={460} ta="center">
        <Text fw={600}>{filtered ? 'No problems with this status' : 'No problems yet'}</Text>
        <Text size="sm" c="dimmed">
          A problem gathers the items that share a root cause, so that you can compare their observations, fix
          the cause once and tell every customer. Select items on the Items page and choose "Create problem",
          or start one here.
        </Text>
        {onCreate && (
          <Button variant="light" onClick={onCreate}>
            New problem
          </Button>
        )}
      </Stack>
    </Center>
  );
}

export function ProblemsPage() {
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const filter = params.get('status') ?? 'open';
  const status = problemStatuses.includes(filter as ProblemStatus) ? (filter as ProblemStatus) : null;
  const problems = useProblems(status);
  const staff = useStaff();
  const [creating, createDialog] = useDisclosure(false);
  // "Open" is every status but fixed: the list API filters one status at a time.
  const rows = filter === 'open' ? problems.items.filter((p) => p.status !== 'fixed') : problems.items;

  return (
    <>
      <PageHeader
        title="Problems"
        description="Root causes behind many items: investigate, fix once, and tell every customer."
        actions={can('problems.write') && <Button onClick={createDialog.open}>New problem</Button>}
      />
      <Group mb="md">
        <SegmentedControl
          aria-label="Status"
          data={filters}
          value={filter}
          onChange={(value) => setParams(value === 'open' ? {} : { status: value }, { replace: true })}
        />
      </Group>
      {problems.isPending ? (
        <TableSkeleton />
      ) : problems.isError ? (
        <QueryError error={problems.error} onRetry={() => problems.refetch()} />
      ) : rows.length === 0 && !problems.hasNextPage ? (
        <EmptyProblems
          filtered={filter !== 'open' && filter !== 'all'}
          onCreate={can('problems.write') ? createDialog.open : undefined}
        />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Problem</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th ta="right">Linked items</Table.Th>
                <Table.Th ta="right">Not closed</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th>Updated</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((problem) => (
                <Table.Tr key={problem.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/problems/${problem.id}`} fw={500} size="sm">
                      {problem.title}
                    </Anchor>
                    {problem.hypothesis && (
                      <Text size="xs" c="dimmed" lineClamp={1} maw={480}>
                        {problem.hypothesis}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <ProblemStatusBadge status={problem.status} />
                  </Table.Td>
                  <Table.Td ta="right">{problem.itemCount}</Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm" c={problem.openItemCount > 0 ? undefined : 'dimmed'}>
                      {problem.openItemCount}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {staffName(staff.data, problem.ownerId) ?? (
                      <Text size="sm" c="dimmed">
                        {problem.ownerId ? '…' : 'Nobody'}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{formatDate(problem.updatedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore {...problems} />
      <NewProblemModal opened={creating} onClose={createDialog.close} />
    </>
  );
}
