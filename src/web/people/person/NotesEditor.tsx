import { Button, Drawer, Group, Paper, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { NotesHistoryEntry } from '../../../shared/people.ts';
import { api } from '../../app/api.ts';
import { formatDate, QueryError, TableSkeleton } from '../../app/ui.tsx';
import { Markdown } from './Markdown.tsx';

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
    queryFn: async () => (await api.get<{ data: NotesHistoryEntry[] }>(path)).data,
  });
  if (query.isPending) return <TableSkeleton rows={3} />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => query.refetch()} />;
  if (query.data.length === 0) return <Text c="dimmed">No earlier versions of the notes.</Text>;
  return (
    <Stack gap="md">
      {query.data.map((version, index) => (
        <Paper key={version.id} withBorder p="sm">
          <Text size="xs" c="dimmed" mb={6}>
            {index === 0 ? 'Current · ' : ''}
            {formatDate(version.createdAt)}
            {version.authorName ? ` · ${version.authorName}` : ''}
          </Text>
          {version.notes ? (
            <Markdown source={version.notes} />
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
