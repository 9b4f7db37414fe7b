import { Button, Drawer, Group, Paper, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../app/api.ts';
import { formatDate, QueryError, TableSkeleton } from '../../app/ui.tsx';
import { Markdown } from './Markdown.tsx';

/** One earlier version of the notes (GET /api/v1/people/:id/notes-history). */
interface NotesVersion {
  id?: string;
  notes?: string | null;
  text?: string | null;
  changedAt?: string;
  createdAt?: string;
  at?: string;
  changedBy?: { name?: string } | string | null;
  actorName?: string | null;
}

function versionText(version: NotesVersion): string {
  return version.notes ?? version.text ?? '';
}

function versionBy(version: NotesVersion): string | null {
  if (typeof version.changedBy === 'object' && version.changedBy?.name) return version.changedBy.name;
  return version.actorName ?? null;
}

/** Markdown notes with Write / Preview, and a drawer with earlier versions. */
export function NotesEditor({
  value,
  onChange,
  error,
  historyPath,
}: {
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string;
  historyPath?: string;
}) {
  const [mode, setMode] = useState<'write' | 'preview'>('write');
  const [historyOpened, history] = useDisclosure(false);
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(next) => setMode(next as 'write' | 'preview')}
          data={[
            { value: 'write', label: 'Write' },
            { value: 'preview', label: 'Preview' },
          ]}
          aria-label="Notes mode"
        />
        {historyPath && (
          <Button size="compact-sm" variant="subtle" onClick={history.open}>
            History
          </Button>
        )}
      </Group>
      {mode === 'write' ? (
        <Textarea
          aria-label="Notes"
          placeholder="Markdown: **bold**, *italic*, - lists, [links](https://…)"
          autosize
          minRows={4}
          maxRows={20}
          value={value ?? ''}
          onChange={(event) => onChange(event.currentTarget.value || null)}
          error={error}
        />
      ) : (
        <Paper withBorder p="sm" mih={100}>
          {value ? <Markdown source={value} /> : <Text c="dimmed">Nothing written yet.</Text>}
        </Paper>
      )}
      {historyPath && (
        <Drawer
          opened={historyOpened}
          onClose={history.close}
          title="Notes history"
          position="right"
          size="lg"
        >
          {historyOpened && <NotesHistory path={historyPath} />}
        </Drawer>
      )}
    </Stack>
  );
}

function NotesHistory({ path }: { path: string }) {
  const query = useQuery({
    queryKey: ['notes-history', path],
    queryFn: async () => {
      const body = await api.get<{ data: NotesVersion[] } | NotesVersion[]>(path);
      return Array.isArray(body) ? body : body.data;
    },
  });
  if (query.isPending) return <TableSkeleton rows={3} />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => query.refetch()} />;
  if (query.data.length === 0) return <Text c="dimmed">No earlier versions of the notes.</Text>;
  return (
    <Stack gap="md">
      {query.data.map((version, index) => (
        <Paper key={version.id ?? index} withBorder p="sm">
          <Text size="xs" c="dimmed" mb={6}>
            {formatDate(version.changedAt ?? version.createdAt ?? version.at)}
            {versionBy(version) ? ` · ${versionBy(version)}` : ''}
          </Text>
          {versionText(version) ? (
            <Markdown source={versionText(version)} />
          ) : (
            <Text size="sm" c="dimmed">
              (empty)
            </Text>
          )}
        </Paper>
      ))}
    </Stack>
  );
}
