import { Alert, Badge, Button, Card, FileInput, Group, List, Paper, Radio, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type DragEvent, useState } from 'react';
import type { ImportDetail, ImportPreview, OnMatchPolicy } from '../../shared/imports.ts';
import { api, errorMessage, postForm } from '../app/api.ts';
import { FormError, PageHeader } from '../app/ui.tsx';
import { useCustomFields } from '../people/api.ts';
import { ImportReport } from './ImportReport.tsx';
import { MappingTable } from './MappingTable.tsx';

/** The preview reads only the start of the file: enough for the header and the first rows. */
const previewBytes = 1024 * 1024;

const presetNames: Record<string, string> = {
  google: 'Google Contacts',
  outlook: 'Outlook',
  hubspot: 'HubSpot',
  rapport: 'Rapport export',
};

function delimiterName(delimiter: string | null) {
  if (delimiter === '\t') return 'tab';
  if (delimiter === null) return null;
  return `"${delimiter}"`;
}

export function ImportPage() {
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<(string | null)[]>([]);
  const customFields = useCustomFields('person');
  const [onMatch, setOnMatch] = useState<OnMatchPolicy>('skip');
  const [importId, setImportId] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  const preview = useMutation({
    mutationFn: (chosen: File) => {
      const form = new FormData();
      form.append('file', chosen.slice(0, previewBytes), chosen.name);
      return postForm<ImportPreview>('/api/v1/imports/preview', form);
    },
    onSuccess: (result) => setMapping(result.suggestedMapping),
  });

  const start = useMutation({
    mutationFn: (dryRun: boolean) => {
      if (!file || !preview.data) throw new Error('Choose a file first.');
      const form = new FormData();
      form.append('format', preview.data.format);
      if (preview.data.format === 'csv') form.append('mapping', JSON.stringify(mapping));
      form.append('dryRun', String(dryRun));
      form.append('onMatch', onMatch);
      form.append('file', file, file.name);
      return postForm<{ id: string }>('/api/v1/imports', form);
    },
    onSuccess: (created) => setImportId(created.id),
  });

  const report = useQuery({
    queryKey: ['imports', importId],
    queryFn: () => api.get<ImportDetail>(`/api/v1/imports/${importId}`),
    enabled: importId !== null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'done' || status === 'failed' ? false : 1000;
    },
  });

  const choose = (chosen: File | null) => {
    setFile(chosen);
    setImportId(null);
    start.reset();
    if (chosen) preview.mutate(chosen);
    else preview.reset();
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped) choose(dropped);
  };

  const detected = preview.data;
  const running = report.data && (report.data.status === 'queued' || report.data.status === 'running');
  const mapsSomething = detected?.format === 'vcard' || mapping.some(Boolean);

  return (
    <>
      <PageHeader
        title="Import people"
        description="Upload a CSV (Google Contacts, Outlook, HubSpot or any spreadsheet) or a vCard file. Try a dry run first: it checks every row and writes nothing."
      />
      <Stack gap="lg" maw={960}>
        <Paper
          withBorder
          p="lg"
          radius="md"
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          bg={dragging ? 'var(--mantine-color-blue-light)' : undefined}
          aria-label="Drop a file here"
        >
          <Stack gap="xs">
            <FileInput
              label="File to import"
              description="Drop a .csv or .vcf file here, or choose one. Up to 512 MB."
              placeholder="Choose a file"
              accept=".csv,.tsv,.txt,.vcf,.vcard,text/csv,text/vcard"
              value={file}
              onChange={choose}
              clearable
            />
          </Stack>
        </Paper>

        {preview.isPending && <Text c="dimmed">Reading the start of the file…</Text>}
        <FormError message={preview.isError ? errorMessage(preview.error) : null} />

        {detected && (
          <Card withBorder radius="md">
            <Stack gap="sm">
              <Group gap="xs" aria-label="Detected file">
                <Badge variant="light">{detected.format === 'csv' ? 'CSV' : 'vCard'}</Badge>
                <Badge variant="light">Encoding: {detected.encoding}</Badge>
                {detected.delimiter !== null && (
                  <Badge variant="light">Delimiter: {delimiterName(detected.delimiter)}</Badge>
                )}
                {detected.preset && <Badge color="teal">Recognised: {presetNames[detected.preset]}</Badge>}
              </Group>
              {detected.problems.length > 0 && (
                <Alert color="yellow" title="Worth a look">
                  <List size="sm">
                    {detected.problems.map((problem, index) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id
                      <List.Item key={index}>
                        {problem.row !== null ? `Row ${problem.row}: ` : ''}
                        {problem.message}
                      </List.Item>
                    ))}
                  </List>
                </Alert>
              )}
              {detected.format === 'csv' ? (
                <MappingTable
                  headers={detected.headers}
                  sampleRows={detected.sampleRows}
                  mapping={mapping}
                  customFields={customFields}
                  onChange={setMapping}
                />
              ) : (
                <Text size="sm">
                  First cards:{' '}
                  {detected.sampleRows
                    .map((row) => row[0])
                    .filter(Boolean)
                    .join(', ') || '—'}
                </Text>
              )}
              <Radio.Group
                label="When a row matches someone already here (same email, phone, or name and organization)"
                value={onMatch}
                onChange={(value) => setOnMatch(value as OnMatchPolicy)}
              >
                <Group mt="xs">
                  <Radio value="skip" label="Skip the row" />
                  <Radio value="update" label="Update the person" />
                  <Radio value="create" label="Create a new person anyway" />
                </Group>
              </Radio.Group>
              <FormError message={start.isError ? errorMessage(start.error) : null} />
              <Group>
                <Button
                  variant="default"
                  onClick={() => start.mutate(true)}
                  loading={start.isPending && start.variables === true}
                  disabled={!mapsSomething || Boolean(running)}
                >
                  Dry run
                </Button>
                <Button
                  onClick={() => start.mutate(false)}
                  loading={start.isPending && start.variables === false}
                  disabled={!mapsSomething || Boolean(running)}
                >
                  Import
                </Button>
              </Group>
            </Stack>
          </Card>
        )}

        {importId && (
          <Card withBorder radius="md" aria-live="polite">
            {report.data ? (
              <ImportReport report={report.data} />
            ) : report.isError ? (
              <FormError message={errorMessage(report.error)} />
            ) : (
              <Text c="dimmed">Starting…</Text>
            )}
          </Card>
        )}
      </Stack>
    </>
  );
}
