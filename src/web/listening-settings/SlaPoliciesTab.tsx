import { Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import {
  type ItemKind,
  itemKindLabels,
  itemKinds,
  type Priority,
  priorities,
} from '../../shared/listening.ts';
import type { SlaPoliciesView, SlaPolicy } from '../../shared/listening-settings.ts';
import { api, errorMessage } from '../app/api.ts';
import { QueryError, TableSkeleton } from '../app/ui.tsx';
import {
  ConfirmButton,
  DefaultsNote,
  errorUnder,
  formatMinutes,
  parseMinutes,
  pathErrors,
  SettingsActions,
  sameJson,
} from './common.tsx';

type Cell = { firstResponse: string; resolution: string };
type Grid = Record<string, Cell>;
const cellKey = (kind: ItemKind, priority: Priority) => `${kind}.${priority}`;
/** The order policies are sent in, so that a 422 path `policies.N` points back at its cell. */
const order = itemKinds.flatMap((kind) => priorities.map((priority) => ({ kind, priority })));
const priorityLabels: Record<Priority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

function gridOf(policies: SlaPolicy[]): Grid {
  const grid: Grid = {};
  for (const { kind, priority } of order)
    grid[cellKey(kind, priority)] = { firstResponse: '', resolution: '' };
  for (const policy of policies)
    grid[cellKey(policy.kind, policy.priority)] = {
      firstResponse: formatMinutes(policy.firstResponseMinutes),
      resolution: formatMinutes(policy.resolutionMinutes),
    };
  return grid;
}

const unreadable = 'Write a duration such as 4h, 1h 30m or 45m; leave empty for no target.';

export function SlaPoliciesTab({ onDirty }: { onDirty: (dirty: boolean) => void }) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['sla-policies'],
    queryFn: () => api.get<SlaPoliciesView>('/api/v1/sla-policies'),
  });
  const base = useMemo(() => (query.data ? gridOf(query.data.policies) : null), [query.data]);
  const [grid, setGrid] = useState<Grid | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  if (base && grid === null) setGrid(base);
  const dirty = grid !== null && base !== null && !sameJson(grid, base);
  useEffect(() => onDirty(dirty), [dirty, onDirty]);

  const send = async (policies: SlaPolicy[], message: string) => {
    setSaving(true);
    setFormError(null);
    try {
      const saved = await api.put<SlaPoliciesView & { recomputedItems?: number; queued?: boolean }>(
        '/api/v1/sla-policies',
        { policies },
      );
      queryClient.setQueryData(['sla-policies'], {
        policies: saved.policies,
        usingDefaults: saved.usingDefaults,
      });
      setGrid(gridOf(saved.policies));
      setErrors({});
      const recomputed = saved.queued
        ? ' Due times of open items are being recomputed in the background.'
        : saved.recomputedItems
          ? ` Due times of ${saved.recomputedItems} open items were recomputed.`
          : '';
      notifications.show({ color: 'teal', message: message + recomputed });
    } catch (error) {
      const found = pathErrors(error);
      setErrors(found);
      setFormError(Object.keys(found).length ? 'Check the highlighted targets.' : errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  const save = () => {
    if (!grid) return;
    const local: Record<string, string> = {};
    const policies: SlaPolicy[] = order.map(({ kind, priority }, index) => {
      const cell = grid[cellKey(kind, priority)] ?? { firstResponse: '', resolution: '' };
      const firstResponseMinutes = parseMinutes(cell.firstResponse);
      const resolutionMinutes = parseMinutes(cell.resolution);
      if (firstResponseMinutes === undefined) local[`policies.${index}.firstResponseMinutes`] = unreadable;
      if (resolutionMinutes === undefined) local[`policies.${index}.resolutionMinutes`] = unreadable;
      return {
        kind,
        priority,
        firstResponseMinutes: firstResponseMinutes ?? null,
        resolutionMinutes: resolutionMinutes ?? null,
      };
    });
    setErrors(local);
    if (Object.keys(local).length > 0) {
      setFormError('Check the highlighted targets.');
      return;
    }
    // Every cell is sent (an empty one means "no target"): an empty list would bring the defaults back.
    void send(policies, 'SLA policies saved.');
  };

  if (query.isPending || !grid) return <TableSkeleton rows={6} />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => query.refetch()} />;
  const set = (key: string, field: keyof Cell, value: string) =>
    setGrid((current) =>
      current ? { ...current, [key]: { ...(current[key] as Cell), [field]: value } } : current,
    );

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Targets are in business time (see Business hours) and pause while an item waits on the customer. Write
        durations such as <b>4h</b>, <b>1h 30m</b> or <b>45m</b>; leave a field empty for no target.
      </Text>
      {query.data.usingDefaults && (
        <DefaultsNote>
          You are using Rapport's built-in targets (urgent 1h/8h, high 4h/24h, normal 8h/72h, low 24h/120h).
          Save to make them your own.
        </DefaultsNote>
      )}
      <Table.ScrollContainer minWidth={860}>
        <Table verticalSpacing="xs" aria-label="SLA targets per kind and priority" withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Kind</Table.Th>
              {priorities.map((priority) => (
                <Table.Th key={priority}>{priorityLabels[priority]}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {itemKinds.map((kind) => (
              <Table.Tr key={kind}>
                <Table.Td fw={500}>{itemKindLabels[kind]}</Table.Td>
                {priorities.map((priority) => {
                  const key = cellKey(kind, priority);
                  const index = order.findIndex(
                    (entry) => entry.kind === kind && entry.priority === priority,
                  );
                  const cell = grid[key] as Cell;
                  return (
                    <Table.Td key={priority}>
                      <Stack gap={4}>
                        <TextInput
                          size="xs"
                          leftSection={<Text size="xs">1st</Text>}
                          leftSectionWidth={36}
                          placeholder="no target"
                          aria-label={`First response, ${itemKindLabels[kind]}, ${priority}`}
                          value={cell.firstResponse}
                          onChange={(e) => set(key, 'firstResponse', e.currentTarget.value)}
                          error={errorUnder(errors, `policies.${index}.firstResponseMinutes`)}
                        />
                        <TextInput
                          size="xs"
                          leftSection={<Text size="xs">Fix</Text>}
                          leftSectionWidth={36}
                          placeholder="no target"
                          aria-label={`Resolution, ${itemKindLabels[kind]}, ${priority}`}
                          value={cell.resolution}
                          onChange={(e) => set(key, 'resolution', e.currentTarget.value)}
                          error={errorUnder(errors, `policies.${index}.resolutionMinutes`)}
                        />
                      </Stack>
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed">
        1st = first response by staff (the automatic acknowledgement does not count); Fix = resolution.
      </Text>
      <SettingsActions
        dirty={dirty}
        saving={saving}
        error={formError}
        onSave={save}
        onDiscard={() => {
          setGrid(base);
          setErrors({});
          setFormError(null);
        }}
        extra={
          !query.data.usingDefaults && (
            <ConfirmButton
              label="Use built-in targets"
              title="Go back to the built-in SLA targets?"
              confirmLabel="Use built-in targets"
              loading={saving}
              onConfirm={() => send([], 'Back to the built-in SLA targets.')}
            >
              Your own targets are replaced by Rapport's defaults and the due times of open items are
              recomputed.
            </ConfirmButton>
          )
        }
      />
    </Stack>
  );
}
