import {
  Badge,
  Button,
  Center,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type ErasureStatus, erasureStatuses } from '../../../shared/portal.ts';
import type { ErasureRequestRow } from '../../../shared/portal-erasure.ts';
import { api, errorMessage } from '../../app/api.ts';
import { useCan } from '../../app/session.ts';
import { FormError, formatDate, LoadMore, PageHeader, QueryError, TableSkeleton } from '../../app/ui.tsx';
import { usePaged } from '../../settings/paged.ts';

const listKey = 'portal-erasure-requests';
const statusLabels: Record<ErasureStatus, string> = {
  requested: 'Waiting',
  approved: 'In progress',
  rejected: 'Rejected',
  done: 'Erased',
};
const statusColors: Record<ErasureStatus, string> = {
  requested: 'yellow',
  approved: 'blue',
  rejected: 'gray',
  done: 'green',
};
const filters = [
  ...erasureStatuses.map((status) => ({ value: status, label: statusLabels[status] })),
  { value: 'all', label: 'All' },
];

type Decision = { request: ErasureRequestRow; action: 'approve' | 'reject' };

function DecisionModal({ decision, onClose }: { decision: Decision | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const decide = useMutation({
    mutationFn: (value: Decision) =>
      api.post<ErasureRequestRow>(
        `/api/v1/portal/erasure-requests/${value.request.id}/${value.action}`,
        note.trim() ? { note: note.trim() } : {},
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [listKey] });
      setNote('');
      onClose();
    },
  });
  const approving = decision?.action === 'approve';
  const close = () => {
    decide.reset();
    setNote('');
    onClose();
  };
  return (
    <Modal
      opened={decision !== null}
      onClose={close}
      title={approving ? 'Erase this person now?' : 'Reject the erasure request'}
      centered
    >
      {decision && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (approving || note.trim()) decide.mutate(decision);
          }}
        >
          <Stack>
            {approving ? (
              <Text size="sm">
                {decision.request.personName ?? 'This person'} will be anonymised everywhere: names, emails,
                phones, addresses, message bodies, notes and portal data. Counts stay. The customer is told by
                email. <strong>This cannot be undone.</strong>
              </Text>
            ) : (
              <Text size="sm">
                The note is sent to the customer: say why the data must be kept, and until when.
              </Text>
            )}
            <Textarea
              label={approving ? 'Note (optional, for the record)' : 'Reason sent to the customer'}
              required={!approving}
              autosize
              minRows={3}
              maxLength={2000}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
              data-autofocus
            />
            <FormError message={decide.error ? errorMessage(decide.error) : null} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button
                type="submit"
                color={approving ? 'red' : undefined}
                loading={decide.isPending}
                disabled={!approving && !note.trim()}
              >
                {approving ? 'Erase now' : 'Reject'}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function EmptyRequests({ filtered }: { filtered: boolean }) {
  return (
    <Center py={48}>
      <Stack align="center" gap="xs" maw={460} ta="center">
        <Text fw={600}>{filtered ? 'No erasure requests with this status' : 'No erasure requests yet'}</Text>
        <Text size="sm" c="dimmed">
          Customers ask for erasure in the portal, under My data. Each request must be decided by its due
          date; the deadline is set in the portal settings.
        </Text>
      </Stack>
    </Center>
  );
}

/** Staff: erasure requests with their deadlines; admins approve (erase now) or reject with a reason. */
export function ErasureRequestsPage() {
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const filter = params.get('status') ?? 'requested';
  const status = erasureStatuses.includes(filter as ErasureStatus) ? (filter as ErasureStatus) : undefined;
  const requests = usePaged<ErasureRequestRow>(listKey, '/api/v1/portal/erasure-requests', { status });
  const [decision, setDecision] = useState<Decision | null>(null);
  const mayDecide = can('erasure.decide');

  return (
    <>
      <PageHeader
        title="Erasure requests"
        description="Customers who asked to be erased. Decide before the due date; approving erases them at once."
      />
      <Group mb="md">
        <SegmentedControl
          aria-label="Status"
          data={filters}
          value={filter}
          onChange={(value) => setParams(value === 'requested' ? {} : { status: value }, { replace: true })}
        />
      </Group>
      {requests.isPending ? (
        <TableSkeleton />
      ) : requests.isError ? (
        <QueryError error={requests.error} onRetry={() => requests.refetch()} />
      ) : requests.items.length === 0 ? (
        <EmptyRequests filtered={filter !== 'all'} />
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Person</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Asked</Table.Th>
                <Table.Th>Due</Table.Th>
                <Table.Th>Reason or note</Table.Th>
                {mayDecide && <Table.Th>Decide</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {requests.items.map((request) => {
                const open = request.status === 'requested';
                return (
                  <Table.Tr key={request.id}>
                    <Table.Td>
                      {request.personName && request.personId ? (
                        <Link to={`/people/${request.personId}`}>{request.personName}</Link>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {request.status === 'done' ? 'Erased person' : 'No record'}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={statusColors[request.status]} variant="light">
                        {statusLabels[request.status]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{formatDate(request.requestedAt)}</Table.Td>
                    <Table.Td>
                      <Text
                        size="sm"
                        c={request.overdue ? 'red' : undefined}
                        fw={request.overdue ? 600 : undefined}
                      >
                        {request.status === 'done'
                          ? formatDate(request.completedAt)
                          : formatDate(request.dueAt)}
                        {request.overdue ? ' (overdue)' : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" lineClamp={2} maw={320}>
                        {request.decisionNote ?? request.reason ?? '—'}
                      </Text>
                    </Table.Td>
                    {mayDecide && (
                      <Table.Td>
                        {open ? (
                          <Group gap="xs" wrap="nowrap">
                            <Button
                              size="xs"
                              color="red"
                              onClick={() => setDecision({ request, action: 'approve' })}
                            >
                              Approve
                            </Button>
                            <Button
                              size="xs"
                              variant="default"
                              onClick={() => setDecision({ request, action: 'reject' })}
                            >
                              Reject
                            </Button>
                          </Group>
                        ) : (
                          <Text size="sm" c="dimmed">
                            {formatDate(request.decidedAt)}
                          </Text>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore {...requests} />
      <DecisionModal decision={decision} onClose={() => setDecision(null)} />
    </>
  );
}
