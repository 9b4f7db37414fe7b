import { Alert, Anchor, Badge, Group, Progress, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { ImportDetail } from '../../shared/imports.ts';

function Count({ label, value }: { label: string; value: number }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="lg" aria-label={`${label}: ${value}`}>
        {value.toLocaleString()}
      </Text>
    </Stack>
  );
}

/** Progress while the import runs, then the counts and the row problems. */
export function ImportReport({ report }: { report: ImportDetail }) {
  const running = report.status === 'queued' || report.status === 'running';
  const percent = Math.round(report.progress * 100);
  return (
    <Stack gap="md">
      <Group gap="xs">
        <Text fw={600}>{report.dryRun ? 'Dry run' : 'Import'}</Text>
        <Badge color={report.status === 'failed' ? 'red' : report.status === 'done' ? 'teal' : 'blue'}>
          {report.status}
        </Badge>
        <Text size="sm" c="dimmed">
          {report.fileName}
        </Text>
      </Group>
      <Progress
        value={percent}
        animated={running}
        aria-label="Import progress"
        aria-valuetext={`${percent}%`}
      />
      {report.message && (
        <Alert
          color={report.status === 'failed' ? 'red' : 'yellow'}
          title={report.status === 'failed' ? 'Import failed' : 'Note'}
        >
          {report.message}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 3, sm: 7 }}>
        <Count label="Rows read" value={report.processed} />
        <Count label={report.dryRun ? 'Would create' : 'Created'} value={report.created} />
        <Count label={report.dryRun ? 'Would update' : 'Updated'} value={report.updated} />
        <Count label="Skipped" value={report.skipped} />
        <Count label="Failed" value={report.failed} />
        <Count label="Warnings" value={report.warnings} />
        <Count label="New organizations" value={report.organizationsCreated} />
      </SimpleGrid>
      {report.errors.length > 0 && (
        <Stack gap="xs">
          <Group justify="space-between">
            <Text fw={600}>Rows to look at</Text>
            <Anchor href={`/api/v1/imports/${report.id}/errors.csv`} download>
              Download errors CSV
            </Anchor>
          </Group>
          <Table.ScrollContainer minWidth={520}>
            <Table verticalSpacing={4} aria-label="Rows to look at">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Row</Table.Th>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th>Problem</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.errors.map((error, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a row can have several problems
                  <Table.Tr key={index}>
                    <Table.Td>{error.row}</Table.Td>
                    <Table.Td w={96}>
                      <Badge size="sm" variant="light" color={error.severity === 'error' ? 'red' : 'yellow'}>
                        {error.severity}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{error.message}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {/* The report holds the first 100 (failed rows first); skipped rows add to them. */}
          {(report.errors.length >= 100 || report.failed + report.warnings > report.errors.length) && (
            <Text size="sm" c="dimmed">
              The first {report.errors.length} are shown; the CSV has all of them.
            </Text>
          )}
        </Stack>
      )}
    </Stack>
  );
}
