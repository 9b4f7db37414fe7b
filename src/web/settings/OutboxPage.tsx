import { Button, Code, Collapse, SegmentedControl, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import type { OutboxMessage } from '../../shared/admin.ts';
import { formatDate, LoadMore, PageHeader, QueryError, TableSkeleton } from '../app/ui.tsx';
import { StatusBadge } from './badges.tsx';
import { usePaged } from './paged.ts';

const filters = [
  { value: 'all', label: 'All' },
  { value: 'queued', label: 'Queued' },
  { value: 'sent', label: 'Sent' },
  { value: 'not_sent', label: 'Not sent' },
  { value: 'failed', label: 'Failed' },
];

function Row({ message }: { message: OutboxMessage }) {
  const [open, setOpen] = useState(false);
  const id = `mail-${message.id}`;
  return (
    <Fragment>
      <Table.Tr>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(message.createdAt)}</Table.Td>
        <Table.Td>{message.to}</Table.Td>
        <Table.Td>{message.subject}</Table.Td>
        <Table.Td>
          <StatusBadge status={message.status} />
          {message.error && (
            <Text size="xs" c="dimmed" mt={4}>
              {message.error}
            </Text>
          )}
        </Table.Td>
        <Table.Td ta="right">
          <Button
            size="xs"
            variant="subtle"
            onClick={() => setOpen((v) => !v)}
            aria-expanded={open}
            aria-controls={id}
          >
            {open ? 'Hide' : 'View'}
          </Button>
        </Table.Td>
      </Table.Tr>
      <Table.Tr style={{ borderBottom: open ? undefined : 'none' }}>
        <Table.Td colSpan={5} p={0}>
          <Collapse expanded={open} id={id}>
            <Code block m="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
              {message.text}
            </Code>
            <Text size="xs" c="dimmed" px="sm" pb="sm">
              Attempts {message.attempts} · Sent {formatDate(message.sentAt, 'not yet')}
            </Text>
          </Collapse>
        </Table.Td>
      </Table.Tr>
    </Fragment>
  );
}

export function OutboxPage() {
  const [status, setStatus] = useState('all');
  const outbox = usePaged<OutboxMessage>('outbox', '/api/v1/outbox', {
    status: status === 'all' ? undefined : status,
  });
  return (
    <>
      <PageHeader title="Outbox" description="Every email Rapport sends, with its delivery status." />
      <SegmentedControl
        data={filters}
        value={status}
        onChange={setStatus}
        mb="md"
        aria-label="Filter by status"
      />
      {outbox.isPending ? (
        <TableSkeleton />
      ) : outbox.isError ? (
        <QueryError error={outbox.error} onRetry={() => outbox.refetch()} />
      ) : outbox.items.length === 0 ? (
        <Text c="dimmed" ta="center" py="xl">
          No emails {status === 'all' ? 'yet' : 'with this status'}.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th>
                <Table.Th>To</Table.Th>
                <Table.Th>Subject</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th ta="right">Message</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {outbox.items.map((message) => (
                <Row key={message.id} message={message} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore {...outbox} />
    </>
  );
}
