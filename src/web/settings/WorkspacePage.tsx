import { Button, Group, Paper, Select, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { regionOptions, updateWorkspaceInput, type WorkspaceSettings } from '../../shared/workspace.ts';
import { api } from '../app/api.ts';
import { useZodForm } from '../app/form.ts';
import { meKey } from '../app/session.ts';
import { FormError, PageHeader, QueryError, TableSkeleton } from '../app/ui.tsx';

function WorkspaceForm({ workspace }: { workspace: WorkspaceSettings }) {
  const queryClient = useQueryClient();
  const regions = useMemo(() => regionOptions(), []);
  const form = useZodForm(updateWorkspaceInput, {
    name: workspace.name,
    defaultRegion: workspace.defaultRegion,
  });
  const unchanged =
    form.values.name?.trim() === workspace.name && form.values.defaultRegion === workspace.defaultRegion;
  const submit = form.onSubmit(async (values) => {
    const saved = await api.patch<WorkspaceSettings>('/api/v1/workspace', values);
    queryClient.setQueryData(['workspace'], saved);
    await queryClient.invalidateQueries({ queryKey: meKey }); // the header shows the workspace name
    notifications.show({ color: 'teal', message: 'Workspace settings saved.' });
  });
  return (
    <Paper withBorder p="md" radius="md" maw={560}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError message={form.formError} />
          <TextInput label="Workspace name" required {...form.field('name')} />
          <Select
            label="Default phone region"
            description="Phone numbers written without + and a country code are read as numbers of this country. Numbers already saved keep their meaning."
            data={regions}
            searchable
            allowDeselect={false}
            nothingFoundMessage="No country matches"
            value={form.values.defaultRegion ?? null}
            onChange={(value) => value && form.setField('defaultRegion', value)}
            error={form.errors.defaultRegion}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={form.submitting} disabled={unchanged}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

export function WorkspacePage() {
  const workspace = useQuery({
    queryKey: ['workspace'],
    queryFn: () => api.get<WorkspaceSettings>('/api/v1/workspace'),
  });
  return (
    <>
      <PageHeader
        title="Workspace"
        description="The name of your workspace and how phone numbers are read."
      />
      {workspace.isPending ? (
        <TableSkeleton rows={2} />
      ) : workspace.isError ? (
        <QueryError error={workspace.error} onRetry={() => workspace.refetch()} />
      ) : (
        <WorkspaceForm key={workspace.data.defaultRegion + workspace.data.name} workspace={workspace.data} />
      )}
    </>
  );
}
