import { Badge, Button, Code, Collapse, Group, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import type { AuditEntry } from '../../shared/admin.ts';
import { formatDate, LoadMore, PageHeader, QueryError, TableSkeleton } from '../app/ui.tsx';
import { usePaged } from './paged.ts';

const entities = [
  { value: 'user', label: 'Users' },
  { value: 'api_token', label: 'API tokens' },
  { value: 'workspace', label: 'Workspace' },
  { value: 'job', label: 'Jobs' },
];

function Json({ label, value }: { label: string; value: unknown }) {
  return (
    <Stack gap={4} style={{ minWidth: 0 }}>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase">
        {label}
      </Text>
      <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
        {value === null || value === undefined ? '—' : JSON.stringify(value, null, 2)}
      </Code>
    </Stack>
  );
}

function Row({ entry }: { entry: AuditEntry }) {
  const [open, setOpen] = useState(false);
  const detailsId = `audit-${entry.id}`;
  return (
    <Fragment>
      <Table.Tr>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(entry.createdAt)}</Table.Td>
        <Table.Td>
          {entry.actorName ?? (
            <Text span c="dimmed">
              {entry.actorType}
            </Text>
          )}
          {entry.actorType === 'token' && (
            <Badge size="xs" variant="light" ml={6}>
              API
            </Badge>
          )}
        </Table.Td>
        <Table.Td>
          <Code>{entry.action}</Code>
        </Table.Td>
        <Table.Td>{entry.entity}</Table.Td>
        <Table.Td ta="right">
          <Button
            size="xs"
            variant="subtle"
            onClick={() => setOpen((value) => !value)}
            aria-expanded={open}
            aria-controls={detailsId}
          >
            {open ? 'Hide changes' : 'Show changes'}
          </Button>
        </Table.Td>
      </Table.Tr>
      <Table.Tr style={{ borderBottom: open ? undefined : 'none' }}>
        <Table.Td colSpan={5} p={0}>
          <Collapse expanded={open} id={detailsId}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} p="sm">
              <Json label="Before" value={entry.before} />
              <Json label="After" value={entry.after} />
            </SimpleGrid>
            <Text size="xs" c="dimmed" px="sm" pb="sm">
              {entry.entityId && <>Entity id {entry.entityId} · </>}Request {entry.requestId ?? '—'}
            </Text>
          </Collapse>
        </Table.Td>
      </Table.Tr>
    </Fragment>
  );
}

export function AuditPage() {
  const [entity, setEntity] = useState<string | null>(null);
  const audit = usePaged<AuditEntry>('audit', '/api/v1/audit', { entity: entity ?? undefined });
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change in the workspace: who did it, when, and what it was before and after."
        actions={
          <Select
            label="Entity"
            placeholder="All entities"
            data={entities}
            value={entity}
            onChange={setEntity}
            clearable
            w={200}
          />
        }
      />
      {audit.isPending ? (
        <TableSkeleton />
      ) : audit.isError ? (
        <QueryError error={audit.error} onRetry={() => audit.refetch()} />
      ) : audit.items.length === 0 ? (
        <Text c="dimmed" ta="center" py="xl">
          No changes recorded{entity ? ' for this entity' : ''} yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th>
                <Table.Th>Actor</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Entity</Table.Th>
                <Table.Th>
                  <Group justify="flex-end">Details</Group>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {audit.items.map((entry) => (
                <Row key={entry.id} entry={entry} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore {...audit} />
    </>
  );
}
