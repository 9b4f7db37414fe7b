import { Button, Code, SegmentedControl, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Job } from '../../shared/admin.ts';
import { api, errorMessage } from '../app/api.ts';
import { formatDate, LoadMore, PageHeader, QueryError, TableSkeleton } from '../app/ui.tsx';
import { StatusBadge } from './badges.tsx';
import { usePaged } from './paged.ts';

const filters = [
  { value: 'all', label: 'All' },
  { value: 'queued', label: 'Queued' },
  { value: 'running', label: 'Running' },
  { value: 'done', label: 'Done' },
  { value: 'failed', label: 'Failed' },
];

function RetryButton({ job }: { job: Job }) {
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => api.post<Job>(`/api/v1/jobs/${job.id}/retry`),
    onSuccess: () => notifications.show({ color: 'teal', message: `Job ${job.kind} was queued again.` }),
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Not retried', message: errorMessage(error) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['jobs'] }),
  });
  return (
    <Button size="xs" variant="light" loading={retry.isPending} onClick={() => retry.mutate()}>
      Retry
    </Button>
  );
}

export function JobsPage() {
  const [status, setStatus] = useState('all');
  const jobs = usePaged<Job>('jobs', '/api/v1/jobs', { status: status === 'all' ? undefined : status });
  return (
    <>
      <PageHeader
        title="Jobs"
        description="Background work such as sending email. Failed jobs are retried with backoff; retry them here."
      />
      <SegmentedControl
        data={filters}
        value={status}
        onChange={setStatus}
        mb="md"
        aria-label="Filter by status"
      />
      {jobs.isPending ? (
        <TableSkeleton />
      ) : jobs.isError ? (
        <QueryError error={jobs.error} onRetry={() => jobs.refetch()} />
      ) : jobs.items.length === 0 ? (
        <Text c="dimmed" ta="center" py="xl">
          No jobs {status === 'all' ? 'yet' : 'with this status'}.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Attempts</Table.Th>
                <Table.Th>Run at</Table.Th>
                <Table.Th>Finished</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {jobs.items.map((job) => (
                <Table.Tr key={job.id}>
                  <Table.Td>
                    <Code>{job.kind}</Code>
                    {job.lastError && (
                      <Text size="xs" c="red" mt={4}>
                        {job.lastError}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={job.status} />
                  </Table.Td>
                  <Table.Td>
                    {job.attempts} / {job.maxAttempts}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(job.runAt)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(job.finishedAt)}</Table.Td>
                  <Table.Td ta="right">{job.status === 'failed' && <RetryButton job={job} />}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore {...jobs} />
    </>
  );
}
