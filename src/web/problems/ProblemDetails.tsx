import {
  Alert,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { type ProblemRecord, problemStatuses, problemStatusLabels } from '../../shared/problems.ts';
import { ApiError, api, errorMessage } from '../app/api.ts';
import { AlertIcon } from '../app/icons.tsx';
import { SaveBar } from '../app/SaveBar.tsx';
import { useCan } from '../app/session.ts';
import { formatDate } from '../app/ui.tsx';
import { useUnsavedGuard } from '../app/unsaved.ts';
import { changedFields, errorAt, fieldErrors } from '../people/person/draft.ts';
import { problemKey, useStaff } from './api.ts';

interface Draft {
  title: string;
  hypothesis: string;
  ownerId: string | null;
  status: ProblemRecord['status'];
}

const draftOf = (problem: ProblemRecord): Draft => ({
  title: problem.title,
  hypothesis: problem.hypothesis,
  ownerId: problem.ownerId,
  status: problem.status,
});

/** Title, hypothesis, owner and status, edited in place and saved with the version read (409 → reload). */
export function ProblemDetails({
  problem,
  onReload,
}: {
  problem: ProblemRecord;
  onReload: () => Promise<unknown>;
}) {
  const can = useCan();
  const editable = can('problems.write');
  const queryClient = useQueryClient();
  const staff = useStaff();
  const [loaded, setLoaded] = useState(() => ({ version: problem.version, base: draftOf(problem) }));
  const [draft, setDraft] = useState<Draft>(loaded.base);
  const changes = useMemo(() => changedFields(loaded.base, draft), [loaded.base, draft]);
  const dirty = Object.keys(changes).length > 0;
  if (problem.version !== loaded.version && !dirty) {
    const base = draftOf(problem);
    setLoaded({ version: problem.version, base });
    setDraft(base);
  }
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);
  useUnsavedGuard(dirty, 'This problem has unsaved changes');
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  const save = async () => {
    if (!dirty || saving) return;
    setSaving(true);
    setFormError(null);
    try {
      const body: Record<string, unknown> = { ...changes, version: loaded.version };
      if ('hypothesis' in changes) body.hypothesis = draft.hypothesis; // '' is a valid hypothesis
      const updated = await api.patch<ProblemRecord>(`/api/v1/problems/${problem.id}`, body);
      const base = draftOf(updated);
      setLoaded({ version: updated.version, base });
      setDraft(base);
      setErrors({});
      queryClient.setQueryData(problemKey(problem.id), updated);
      queryClient.invalidateQueries({ queryKey: ['problems'] });
      notifications.show({ color: 'teal', message: 'Problem saved.', autoClose: 2500 });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) setConflict(true);
      else {
        const found = fieldErrors(error);
        setErrors(found);
        setFormError(Object.keys(found).length ? 'Check the highlighted fields.' : errorMessage(error));
      }
    } finally {
      setSaving(false);
    }
  };
  const reload = async () => {
    const result = (await onReload()) as { data?: ProblemRecord };
    const fresh = result.data ?? problem;
    const base = draftOf(fresh);
    setLoaded({ version: fresh.version, base });
    setDraft(base);
    setConflict(false);
    setFormError(null);
  };
  useHotkeys([['mod+S', () => void save()]], []);
  const fixed = problem.status === 'fixed';
  const statusOptions = problemStatuses
    .filter((status) => status !== 'fixed' || fixed)
    .map((status) => ({ value: status, label: problemStatusLabels[status] }));

  return (
    <Paper withBorder radius="md" p="md">
      <fieldset disabled={!editable} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Stack gap="sm">
          {conflict && (
            <Alert
              color="orange"
              variant="light"
              icon={<AlertIcon />}
              title="This problem changed"
              role="alert"
            >
              <Group gap="xs">
                <Text size="sm">Someone else saved this problem; reload to see their changes.</Text>
                <Button size="xs" variant="default" onClick={reload}>
                  Reload
                </Button>
              </Group>
            </Alert>
          )}
          <TextInput
            label="Title"
            value={draft.title}
            onChange={(e) => set('title', e.currentTarget.value)}
            error={errorAt(errors, 'title')}
          />
          <Textarea
            label="Hypothesis"
            description="What you think the root cause is. The compare panel below helps test it."
            autosize
            minRows={2}
            value={draft.hypothesis}
            onChange={(e) => set('hypothesis', e.currentTarget.value)}
            error={errorAt(errors, 'hypothesis')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Owner"
              data={(staff.data ?? []).map((user) => ({ value: user.id, label: user.name }))}
              value={draft.ownerId}
              onChange={(value) => set('ownerId', value)}
              searchable
              clearable
              placeholder="Nobody"
              error={errorAt(errors, 'ownerId')}
            />
            <Select
              label="Status"
              data={statusOptions}
              value={draft.status}
              onChange={(value) => value && set('status', value as Draft['status'])}
              allowDeselect={false}
              disabled={fixed}
              description={
                fixed
                  ? `Fixed ${formatDate(problem.fixedAt)}`
                  : 'Use "Mark fixed" to fix it and tell the customers.'
              }
              error={errorAt(errors, 'status')}
            />
          </SimpleGrid>
          {problem.fixSummary && (
            <Text size="sm">
              <Text span fw={600}>
                What was fixed:{' '}
              </Text>
              {problem.fixSummary}
            </Text>
          )}
        </Stack>
      </fieldset>
      <SaveBar
        dirty={dirty}
        formError={formError}
        conflict={conflict}
        what="problem"
        saving={saving}
        onReload={reload}
        onDiscard={() => {
          setDraft(loaded.base);
          setErrors({});
          setFormError(null);
        }}
        onSave={save}
      />
    </Paper>
  );
}
