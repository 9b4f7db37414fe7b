import { Button, Indicator, Popover, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import {
  itemChannelLabels,
  itemChannels,
  itemKindLabels,
  itemKinds,
  itemStatuses,
  itemStatusLabels,
  ladderLevelLabels,
  ladderLevels,
  priorities,
} from '../../shared/listening.ts';
import type { Person } from '../../shared/people.ts';
import { api } from '../app/api.ts';
import { PeoplePicker } from '../interactions/PeoplePicker.tsx';
import { type ListParams, personKey } from '../people/api.ts';
import { useCategories, useStaff } from './api.ts';

/** The filters kept in the URL besides the queue (all are listItemsQuery parameters). */
export const filterKeys = [
  'kind',
  'status',
  'channel',
  'priority',
  'categoryId',
  'tag',
  'ownerId',
  'personId',
  'escalationLevel',
  'breached',
  'createdAfter',
  'createdBefore',
] as const;

export const activeFilters = (params: ListParams) => filterKeys.filter((key) => params[key]).length;

const options = <T extends string>(values: readonly T[], labels: Record<T, string>) =>
  values.map((value) => ({ value, label: labels[value] }));

const dayStart = (value: string) => (value ? new Date(`${value}T00:00:00`).toISOString() : undefined);
const dayEnd = (value: string) => (value ? new Date(`${value}T23:59:59.999`).toISOString() : undefined);
const toDay = (iso: string | string[] | undefined) => {
  if (typeof iso !== 'string') return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
};

export function ItemFilters({
  params,
  onChange,
}: {
  params: ListParams;
  onChange: (next: ListParams) => void;
}) {
  const categories = useCategories();
  const staff = useStaff();
  const value = (key: string) => (typeof params[key] === 'string' ? (params[key] as string) : null);
  const set = (key: string, next: string | null | undefined) =>
    onChange({ ...params, [key]: next || undefined });
  const count = activeFilters(params);
  const select = (key: string, label: string, data: { value: string; label: string }[]) => (
    <Select
      key={key}
      label={label}
      data={data}
      value={value(key)}
      onChange={(next) => set(key, next)}
      clearable
      searchable={data.length > 8}
      comboboxProps={{ withinPortal: false }}
    />
  );
  return (
    <Popover position="bottom-start" width={520} shadow="md" withArrow trapFocus>
      <Popover.Target>
        <Indicator label={count} size={16} disabled={count === 0}>
          <Button variant="default">Filters</Button>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            {select('kind', 'Kind', options(itemKinds, itemKindLabels))}
            {select('status', 'Status', options(itemStatuses, itemStatusLabels))}
            {select('channel', 'Channel', options(itemChannels, itemChannelLabels))}
            {select(
              'priority',
              'Priority',
              priorities.map((p) => ({ value: p, label: p })),
            )}
            {select(
              'categoryId',
              'Category',
              categories.map((c) => ({ value: c.id, label: c.name })),
            )}
            {select(
              'ownerId',
              'Owner',
              staff.map((u) => ({ value: u.id, label: u.name })),
            )}
            {select('escalationLevel', 'Escalation level', options(ladderLevels, ladderLevelLabels))}
            {select('breached', 'SLA', [
              { value: 'true', label: 'Breached' },
              { value: 'false', label: 'Not breached' },
            ])}
            <TextInput
              label="Tag"
              value={value('tag') ?? ''}
              onChange={(event) => set('tag', event.currentTarget.value.trim())}
            />
            <div />
            <TextInput
              label="Logged from"
              type="date"
              value={toDay(params.createdAfter)}
              onChange={(event) => set('createdAfter', dayStart(event.currentTarget.value))}
            />
            <TextInput
              label="Logged until"
              type="date"
              value={toDay(params.createdBefore)}
              onChange={(event) => set('createdBefore', dayEnd(event.currentTarget.value))}
            />
          </SimpleGrid>
          <PersonFilter personId={value('personId')} onChange={(id) => set('personId', id)} />
          <Button
            variant="default"
            size="xs"
            disabled={count === 0}
            onClick={() => onChange({ queue: params.queue, q: params.q })}
          >
            Clear filters
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

/** One customer, picked by name; the name of a person set from the URL is looked up. */
function PersonFilter({
  personId,
  onChange,
}: {
  personId: string | null;
  onChange: (id: string | null) => void;
}) {
  const person = usePersonName(personId);
  return (
    <PeoplePicker
      label="Customer"
      value={personId ? [{ id: personId, name: person ?? 'Loading…' }] : []}
      onChange={(people) => onChange(people.at(-1)?.id ?? null)}
    />
  );
}

function usePersonName(id: string | null) {
  const person = useQuery({
    queryKey: personKey(id ?? ''),
    queryFn: () => api.get<Person>(`/api/v1/people/${id}`),
    enabled: Boolean(id),
    staleTime: 60_000,
  });
  return id ? person.data?.displayName : undefined;
}
