import {
  Anchor,
  Badge,
  Button,
  Center,
  Drawer,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { IntentChannel, IntentStatus } from '../../../shared/portal.ts';
import type { IntentLead, IntentLeadDetail } from '../../../shared/portal-intents.ts';
import { contactChannelLabels } from '../../../shared/portal-words.ts';
import { api, errorMessage } from '../../app/api.ts';
import { useCan } from '../../app/session.ts';
import {
  ConfirmModal,
  FormError,
  formatDate,
  LoadMore,
  PageHeader,
  QueryError,
  TableSkeleton,
} from '../../app/ui.tsx';
import { usePaged } from '../../settings/paged.ts';

const leadsKey = 'portal-intents';
const leadKey = (id: string) => ['portal-intent', id] as const;

const filters = [
  { value: 'open', label: 'Open' },
  { value: 'closed', label: 'Closed' },
  { value: 'withdrawn', label: 'Withdrawn' },
  { value: 'all', label: 'All' },
];
const statusColors: Record<IntentStatus, string> = { open: 'blue', closed: 'gray', withdrawn: 'orange' };

const channelLabel = (channel: IntentChannel) =>
  channel === 'portal' ? 'Portal' : contactChannelLabels[channel];

function budgetText(lead: Pick<IntentLead, 'budgetMin' | 'budgetMax' | 'currency'>): string {
  const format = (value: number) => value.toLocaleString(undefined, { maximumFractionDigits: 2 });
  const currency = lead.currency ? ` ${lead.currency}` : '';
  if (lead.budgetMin !== null && lead.budgetMax !== null) {
    return `${format(lead.budgetMin)}–${format(lead.budgetMax)}${currency}`;
  }
  if (lead.budgetMin !== null) return `from ${format(lead.budgetMin)}${currency}`;
  if (lead.budgetMax !== null) return `up to ${format(lead.budgetMax)}${currency}`;
  return '—';
}

const dateOnly = (value: string | null) =>
  value ? new Date(`${value}T00:00:00`).toLocaleDateString(undefined, { dateStyle: 'medium' }) : '—';

function LeadDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const [answer, setAnswer] = useState('');
  const [confirmClose, setConfirmClose] = useState(false);
  const lead = useQuery({
    queryKey: leadKey(id ?? ''),
    queryFn: () => api.get<IntentLeadDetail>(`/api/v1/portal/intents/${id}`),
    enabled: Boolean(id),
  });
  const refresh = async (updated: IntentLeadDetail) => {
    queryClient.setQueryData(leadKey(updated.id), updated);
    await queryClient.invalidateQueries({ queryKey: [leadsKey] });
  };
  const respond = useMutation({
    mutationFn: (body: string) =>
      api.post<IntentLeadDetail>(`/api/v1/portal/intents/${id}/responses`, { body }),
    onSuccess: async (updated) => {
      setAnswer('');
      notifications.show({
        message: updated.emailAllowed
          ? 'Answer sent: it is in their portal and they were told by email.'
          : 'Answer sent: it is in their portal (their terms allow no email notice).',
      });
      await refresh(updated);
    },
  });
  const close = useMutation({
    mutationFn: () => api.post<IntentLeadDetail>(`/api/v1/portal/intents/${id}/close`),
    onSuccess: async (updated) => {
      setConfirmClose(false);
      notifications.show({ message: 'Intentcast closed.' });
      await refresh(updated);
    },
    onError: (error) => {
      setConfirmClose(false);
      notifications.show({ color: 'red', title: 'Could not close it', message: errorMessage(error) });
    },
  });
  const data = lead.data;
  const mayAnswer = can('portal.content') && data?.status === 'open';
  return (
    <Drawer opened={Boolean(id)} onClose={onClose} position="right" size="lg" title="Intentcast">
      {lead.isPending ? <TableSkeleton rows={3} /> : null}
      {lead.error ? <QueryError error={lead.error} onRetry={() => lead.refetch()} /> : null}
      {data ? (
        <Stack>
          <Group justify="space-between">
            <Anchor component={Link} to={`/people/${data.person.id}`} fw={600}>
              {data.person.name}
            </Anchor>
            <Badge color={statusColors[data.status]}>{data.status}</Badge>
          </Group>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{data.what}</Text>
          <Text size="sm" c="dimmed">
            Budget {budgetText(data)} · by {dateOnly(data.wantedBy)} · contact by {channelLabel(data.channel)}
            {data.person.email ? ` · ${data.person.email}` : ''} · since {formatDate(data.createdAt)}
          </Text>
          <Stack gap="xs" aria-label="Conversation">
            {data.messages.length === 0 ? (
              <Text size="sm" c="dimmed">
                No answer yet.
              </Text>
            ) : (
              data.messages.map((message) => (
                <Paper
                  key={message.id}
                  withBorder
                  p="sm"
                  radius="md"
                  bg={message.from === 'staff' ? 'var(--mantine-color-blue-light)' : undefined}
                >
                  <Text size="xs" c="dimmed">
                    {message.from === 'staff' ? (message.authorName ?? 'Staff') : data.person.name} ·{' '}
                    {formatDate(message.createdAt)}
                  </Text>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {message.body}
                  </Text>
                </Paper>
              ))
            )}
          </Stack>
          {mayAnswer ? (
            <form
              onSubmit={(event) => {
                event.preventDefault();
                respond.mutate(answer);
              }}
            >
              <Stack gap="xs">
                <Textarea
                  label="Your answer"
                  description={
                    data.emailAllowed
                      ? 'Shown in their portal; they get an email saying an answer is waiting.'
                      : 'Shown in their portal only: their terms allow no email for service messages.'
                  }
                  autosize
                  minRows={3}
                  maxLength={10000}
                  value={answer}
                  onChange={(event) => setAnswer(event.currentTarget.value)}
                />
                <FormError message={respond.error ? errorMessage(respond.error) : null} />
                <Group justify="space-between">
                  <Button variant="default" color="red" onClick={() => setConfirmClose(true)}>
                    Close intentcast
                  </Button>
                  <Button type="submit" loading={respond.isPending} disabled={!answer.trim()}>
                    Send answer
                  </Button>
                </Group>
              </Stack>
            </form>
          ) : null}
        </Stack>
      ) : null}
      <ConfirmModal
        opened={confirmClose}
        title="Close this intentcast?"
        confirmLabel="Close it"
        onConfirm={() => close.mutate()}
        onClose={() => setConfirmClose(false)}
        loading={close.isPending}
      >
        It leaves the open leads and takes no more answers. The customer sees it as closed.
      </ConfirmModal>
    </Drawer>
  );
}

export function IntentsPage() {
  const [params, setParams] = useSearchParams();
  const filter = params.get('status') ?? 'open';
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [openId, setOpenId] = useState<string | null>(null);
  const leads = usePaged<IntentLead>(leadsKey, '/api/v1/portal/intents', {
    status: filter === 'all' ? undefined : filter,
    q: q || undefined,
  });

  return (
    <>
      <PageHeader
        title="Intentcasts"
        description="What customers announced they are looking for: leads with budget and date. Answer them through the portal."
      />
      <Group mb="md" justify="space-between">
        <SegmentedControl
          aria-label="Status"
          data={filters}
          value={filter}
          onChange={(value) => setParams(value === 'open' ? {} : { status: value }, { replace: true })}
        />
        <TextInput
          aria-label="Search"
          placeholder="Search what or who"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={260}
        />
      </Group>
      {leads.isPending ? <TableSkeleton /> : null}
      {leads.error ? <QueryError error={leads.error} onRetry={() => leads.refetch()} /> : null}
      {leads.isSuccess && leads.items.length === 0 ? (
        <Center py={48}>
          <Stack align="center" gap="xs" maw={460} ta="center">
            <Text fw={600}>{q || filter !== 'open' ? 'No intentcasts match' : 'No open intentcasts'}</Text>
            <Text size="sm" c="dimmed">
              Customers announce what they want to buy on the portal's "Looking for" page; each becomes a lead
              here.
            </Text>
          </Stack>
        </Center>
      ) : null}
      {leads.items.length > 0 ? (
        <Table.ScrollContainer minWidth={720}>
          <Table highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Who</Table.Th>
                <Table.Th>Looking for</Table.Th>
                <Table.Th>Budget</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>Contact</Table.Th>
                <Table.Th>Answers</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {leads.items.map((lead) => (
                <Table.Tr key={lead.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/people/${lead.person.id}`}>
                      {lead.person.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td maw={360}>
                    <Anchor
                      component="button"
                      type="button"
                      onClick={() => setOpenId(lead.id)}
                      lineClamp={2}
                      ta="left"
                    >
                      {lead.what}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{budgetText(lead)}</Table.Td>
                  <Table.Td>{dateOnly(lead.wantedBy)}</Table.Td>
                  <Table.Td>{channelLabel(lead.channel)}</Table.Td>
                  <Table.Td>{lead.messagesCount}</Table.Td>
                  <Table.Td>
                    <Badge color={statusColors[lead.status]} variant="light">
                      {lead.status}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <LoadMore
        hasNextPage={leads.hasNextPage}
        isFetchingNextPage={leads.isFetchingNextPage}
        fetchNextPage={leads.fetchNextPage}
      />
      <LeadDrawer id={openId} onClose={() => setOpenId(null)} />
    </>
  );
}
