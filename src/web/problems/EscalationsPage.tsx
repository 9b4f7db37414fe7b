import { Center, Group, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { type Item, type ItemEvent, type LadderLevel, ladderLevelLabels } from '../../shared/listening.ts';
import { api } from '../app/api.ts';
import { useMe } from '../app/session.ts';
import { formatDate, LoadMore, PageHeader, QueryError, TableSkeleton } from '../app/ui.tsx';
import { usePaged } from '../settings/paged.ts';
import { listOf, staffName, useStaff } from './api.ts';
import { ItemRefLink, ItemStatusBadge, LevelBadge, SlaText } from './badges.tsx';

type Level = Exclude<LadderLevel, 'agent'>;
const levels: Level[] = ['executive', 'manager', 'lead'];

/** The latest escalation of an item: when, why and by what (a person, or an SLA rule). */
function useLastEscalation(item: Item) {
  const known = item as Item & { escalatedAt?: string | null; escalationReason?: string | null };
  const query = useQuery({
    queryKey: ['escalations', 'last', item.id],
    queryFn: async () =>
      listOf<ItemEvent>(await api.get<unknown>(`/api/v1/items/${item.id}/events`), 'events'),
    enabled: known.escalationReason === undefined,
    staleTime: 60_000,
  });
  if (known.escalationReason !== undefined)
    return { at: known.escalatedAt ?? null, reason: known.escalationReason, by: null, pending: false };
  const event = [...(query.data ?? [])].reverse().find((e) => e.type === 'escalated');
  const cause = typeof event?.data.cause === 'string' ? event.data.cause : null;
  return {
    at: event?.createdAt ?? null,
    reason: typeof event?.data.reason === 'string' ? event.data.reason : null,
    by: cause && cause !== 'manual' ? 'SLA rule' : (event?.actorName ?? null),
    pending: query.isPending,
  };
}

function EscalationCell({ item }: { item: Item }) {
  const escalation = useLastEscalation(item);
  if (escalation.pending)
    return (
      <Text size="xs" c="dimmed">
        Loading…
      </Text>
    );
  return (
    <Stack gap={0}>
      <Text size="sm" lineClamp={2}>
        {escalation.reason ?? '—'}
      </Text>
      <Text size="xs" c="dimmed">
        {formatDate(escalation.at)}
        {escalation.by ? ` · by ${escalation.by}` : ''}
      </Text>
    </Stack>
  );
}

function LevelGroup({ level, now }: { level: Level; now: number }) {
  const items = usePaged<Item>('items', '/api/v1/items', { queue: 'escalated', escalationLevel: level });
  const staff = useStaff();
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-label={`Escalated to ${ladderLevelLabels[level]}`}
    >
      <Group gap="xs" mb="sm">
        <LevelBadge level={level} />
        <Title order={2} size="h4">
          Escalated to {ladderLevelLabels[level].toLowerCase()}
        </Title>
        {items.isSuccess && (
          <Text size="sm" c="dimmed">
            {items.items.length}
            {items.hasNextPage ? '+' : ''}
          </Text>
        )}
      </Group>
      {items.isPending ? (
        <TableSkeleton rows={2} />
      ) : items.isError ? (
        <QueryError error={items.error} onRetry={() => items.refetch()} />
      ) : items.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing is escalated to this level.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Item</Table.Th>
                <Table.Th w="30%">Why and when</Table.Th>
                <Table.Th>SLA</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.items.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>
                    <ItemRefLink
                      item={item}
                      detail={
                        item.personName ?? item.reporterName ?? item.reporterEmail ?? 'Unknown customer'
                      }
                    />
                  </Table.Td>
                  <Table.Td>
                    <EscalationCell item={item} />
                  </Table.Td>
                  <Table.Td>
                    <SlaText item={item} now={now} />
                  </Table.Td>
                  <Table.Td>
                    {staffName(staff.data, item.ownerId) ?? (
                      <Text size="sm" c={item.ownerId ? undefined : 'orange'}>
                        {item.ownerId ? '…' : 'Unowned'}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <ItemStatusBadge status={item.status} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore {...items} />
    </Paper>
  );
}

export function EscalationsPage() {
  const { data: me } = useMe();
  const staff = useStaff();
  const [params, setParams] = useSearchParams();
  const myLevel = staff.data?.find((user) => user.id === me?.user.id)?.ladderLevel ?? 'agent';
  const mine = myLevel !== 'agent' ? (myLevel as Level) : null;
  const view = params.get('view') ?? (mine ? 'mine' : 'all');
  const shown = view === 'mine' && mine ? [mine] : levels;
  const now = Date.now();
  const any = useQuery({
    queryKey: ['items', 'escalated-any'],
    queryFn: () => api.get<{ data: Item[] }>('/api/v1/items?queue=escalated&limit=1'),
  });
  return (
    <>
      <PageHeader
        title="Escalations"
        description="Items raised up the ladder — by hand or because an SLA was breached — with why and when."
        actions={
          mine && (
            <SegmentedControl
              aria-label="Which escalations"
              value={view}
              onChange={(value) => setParams(value === 'mine' ? {} : { view: value }, { replace: true })}
              data={[
                { value: 'mine', label: `Escalated to me (${ladderLevelLabels[mine]})` },
                { value: 'all', label: 'Everything escalated' },
              ]}
            />
          )
        }
      />
      {staff.isPending || any.isPending ? (
        <TableSkeleton />
      ) : any.isError ? (
        <QueryError error={any.error} onRetry={() => any.refetch()} />
      ) : any.data.data.length === 0 ? (
        <Center py={48}>
          <Stack align="center" gap="xs" maw={480} ta="center">
            <Text fw={600}>Nothing is escalated</Text>
            <Text size="sm" c="dimmed">
              Every open item is handled at the agent level. When an SLA is breached or someone escalates an
              item by hand, it shows up here, grouped by lead, manager and executive.
            </Text>
          </Stack>
        </Center>
      ) : (
        <Stack gap="md">
          {shown.map((level) => (
            <LevelGroup key={level} level={level} now={now} />
          ))}
          <EmptyHint />
        </Stack>
      )}
    </>
  );
}

function EmptyHint() {
  return (
    <Center>
      <Text size="xs" c="dimmed" maw={560} ta="center">
        Items are escalated automatically when an SLA is breached (Settings → Listening → Escalation rules)
        and by hand from an item with a reason. Each escalation notifies everyone at that level.
      </Text>
    </Center>
  );
}
