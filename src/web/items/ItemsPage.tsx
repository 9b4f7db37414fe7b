import {
  Button,
  Center,
  Group,
  Kbd,
  Select,
  Stack,
  Tabs,
  Text,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { type Item, type ItemQueue, itemQueueLabels } from '../../shared/listening.ts';
import { ListIcon } from '../app/icons.tsx';
import { useSearchText } from '../app/searchText.ts';
import { useCan } from '../app/session.ts';
import { PageHeader, QueryError, TableSkeleton } from '../app/ui.tsx';
import { type ListParams, useInfiniteList } from '../people/api.ts';
import { SavedViewsMenu, viewParams } from '../people/list/SavedViewsMenu.tsx';
import { useRowSelection } from '../people/table/selection.ts';
import { VirtualTable } from '../people/table/VirtualTable.tsx';
import { useStaff } from './api.ts';
import { BulkItemsBar } from './BulkItemsBar.tsx';
import { itemColumns } from './columns.tsx';
import { activeFilters, ItemFilters } from './ItemFilters.tsx';
import { logItemShortcut, openQuickItem } from './QuickItemModal.tsx';
import { useNow } from './useNow.ts';

/** The queues in the order people work them. */
const queues: ItemQueue[] = [
  'open',
  'unowned',
  'mine',
  'team',
  'breaching_soon',
  'breached',
  'escalated',
  'waiting_on_customer',
  'recently_closed',
  'all',
];
const queueHelp: Partial<Record<ItemQueue, string>> = {
  unowned: 'Nobody has taken these yet.',
  mine: 'Yours, until their loop is closed: resolved items stay here until informed, thanked and closed.',
  team: "Your team's, until their loop is closed.",
  breaching_soon: 'Open items whose SLA runs out soon.',
  breached: 'Open items past a first-response or resolution target.',
  escalated: 'Items escalated above agent level.',
  recently_closed: 'Closed in the last 7 days, latest first.',
};
const itemId = (item: Item) => item.id;

function paramsOf(search: URLSearchParams): ListParams {
  const params: ListParams = {};
  for (const [key, value] of search) if (key !== 'after' && key !== 'limit') params[key] = value;
  return params;
}
function searchOf(params: ListParams): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (typeof value === 'string' && value) search.set(key, value);
  return search;
}

export function ItemsPage() {
  const can = useCan();
  const now = useNow();
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => paramsOf(search), [search]);
  const queue = ((params.queue as string | undefined) ?? 'open') as ItemQueue;
  // A queue or sort is a step Back returns to; typing (search, filters) is not.
  const setParams = (next: ListParams, replace = false) => setSearch(searchOf(next), { replace });
  const staff = useStaff();
  const owners = useMemo(() => new Map(staff.map((user) => [user.id, user.name])), [staff]);
  const columns = useMemo(() => itemColumns(owners, now), [owners, now]);
  const list = useInfiniteList<Item>('items', '/api/v1/items', { ...params, queue });
  const { selection, selected, clear } = useRowSelection(list.rows, itemId, search.toString());

  const { text, setText, type } = useSearchText(params.q as string | undefined, (q, replace) =>
    setParams({ ...params, q }, replace),
  );
  const filtered = Boolean(params.q) || activeFilters(params) > 0;

  return (
    <Stack gap="md">
      <PageHeader
        title="Items"
        description="Every opinion, request, suggestion, complaint and word of praise: owned, answered, thanked."
        actions={
          can('items.write') && (
            <Button onClick={() => openQuickItem()} rightSection={<Kbd size="xs">{logItemShortcut}</Kbd>}>
              Log item
            </Button>
          )
        }
      />
      <Tabs
        value={queue}
        onChange={(value) => value && setParams({ ...params, queue: value })}
        variant="pills"
        visibleFrom="sm"
        keepMounted={false}
      >
        <Tabs.List aria-label="Queues">
          {queues.map((value) => (
            <Tabs.Tab key={value} value={value}>
              {itemQueueLabels[value]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Stack gap="sm">
        <Group gap="xs" wrap="wrap">
          <Select
            hiddenFrom="sm"
            aria-label="Queue"
            data={queues.map((value) => ({ value, label: itemQueueLabels[value] }))}
            value={queue}
            onChange={(value) => value && setParams({ ...params, queue: value })}
            allowDeselect={false}
            w={200}
          />
          <TextInput
            placeholder="Words in the subject…"
            aria-label="Search items by subject"
            value={text}
            onChange={(event) => {
              type(event.currentTarget.value);
            }}
            style={{ flex: '1 1 200px' }}
          />
          {/* Filters change as they are typed (tags, dates): not a Back step per key. */}
          <ItemFilters params={params} onChange={(next) => setParams(next, true)} />
          <SavedViewsMenu
            entity="item"
            params={params}
            columns={[]}
            onApply={(view) => {
              const next = viewParams(view);
              setText((next.q as string | undefined) ?? '');
              setParams(next);
            }}
          />
        </Group>
        {queueHelp[queue] && (
          <Text size="xs" c="dimmed">
            {queueHelp[queue]}
          </Text>
        )}
        {selected.size > 0 && <BulkItemsBar ids={[...selected]} onClear={clear} />}
        {list.isPending ? (
          <TableSkeleton rows={8} />
        ) : list.isError ? (
          <QueryError error={list.error} onRetry={() => list.refetch()} />
        ) : list.rows.length === 0 ? (
          <EmptyQueue
            queue={queue}
            filtered={filtered}
            onClear={() => {
              setText('');
              setParams({ queue });
            }}
          />
        ) : (
          <>
            <VirtualTable
              label={`Items: ${itemQueueLabels[queue]}`}
              rows={list.rows}
              columns={columns}
              rowId={itemId}
              selection={selection}
              hasNextPage={list.hasNextPage}
              isFetchingNextPage={list.isFetchingNextPage}
              fetchNextPage={list.fetchNextPage}
            />
            <Text size="xs" c="dimmed">
              {list.rows.length} loaded{list.hasNextPage ? ', more as you scroll' : ''}. Shift-click to select
              a range.
            </Text>
          </>
        )}
      </Stack>
    </Stack>
  );
}

function EmptyQueue({
  queue,
  filtered,
  onClear,
}: {
  queue: ItemQueue;
  filtered: boolean;
  onClear: () => void;
}) {
  const can = useCan();
  return (
    <Center py={50}>
      <Stack align="center" gap="sm" maw={440} ta="center">
        <ThemeIcon size={52} radius="xl" variant="light">
          <ListIcon size={26} />
        </ThemeIcon>
        <Title order={2} size="h4">
          {filtered ? 'No items match' : `Nothing in "${itemQueueLabels[queue]}"`}
        </Title>
        <Text c="dimmed" size="sm">
          {filtered
            ? 'Try fewer filters or other words.'
            : queue === 'breached' || queue === 'escalated'
              ? 'Good news: nobody is waiting past their target.'
              : 'When a customer speaks up (by phone, email, in person…), log it here so it is owned and answered.'}
        </Text>
        <Group>
          {filtered && (
            <Button variant="default" onClick={onClear}>
              Clear search and filters
            </Button>
          )}
          {can('items.write') && !filtered && (
            <Button onClick={() => openQuickItem()} rightSection={<Kbd size="xs">{logItemShortcut}</Kbd>}>
              Log item
            </Button>
          )}
        </Group>
      </Stack>
    </Center>
  );
}
