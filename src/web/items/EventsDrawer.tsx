import { Badge, Drawer, Loader, Stack, Text, Timeline } from '@mantine/core';
import { formatMinutes } from '../../shared/item-time.ts';
import { type ItemEvent, type ItemStatus, itemStatusLabels } from '../../shared/listening.ts';
import { QueryError } from '../app/ui.tsx';
import { type StaffUser, useItemEvents } from './api.ts';

const eventLabels: Record<string, string> = {
  created: 'Logged',
  updated: 'Changed',
  taken: 'Taken',
  assigned: 'Assigned',
  escalated: 'Escalated',
  replied: 'Replied to the customer',
  note_added: 'Internal note',
  customer_replied: 'Customer replied',
  resolved: 'Resolved',
  informed: 'Customer informed',
  thanked: 'Customer thanked',
  closed: 'Closed',
  reopened: 'Reopened',
  observation_added: 'Observation recorded',
  merged: 'Merged',
  voted: 'Vote',
  linked_to_problem: 'Linked to a problem',
  acknowledged: 'Acknowledged',
  sla_breached: 'SLA breached',
  sla_warning: 'SLA warning',
  time_recorded: 'Time spent recorded',
  time_corrected: 'Time spent corrected',
};

const label = (type: string) => eventLabels[type] ?? type.replace(/[._]/g, ' ');
const clip = (text: string) => (text.length > 160 ? `${text.slice(0, 160)}…` : text);

/** A readable line for the event's data; names are resolved where the event carries user ids. */
function summary(event: ItemEvent, names: Map<string, string>): string {
  const data = event.data;
  const parts: string[] = [];
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : null);
  const status = (key: string) => {
    const value = text(key);
    return value && value in itemStatusLabels ? itemStatusLabels[value as ItemStatus] : value;
  };
  if (text('from') && text('to') && text('to')! in itemStatusLabels)
    parts.push(`${status('from')} → ${status('to')}`);
  else if (text('to') && !(text('to')! in itemStatusLabels)) parts.push(`to ${text('to')}`);
  for (const key of ['ownerId', 'userId']) {
    const id = text(key);
    if (id) parts.push(`owner: ${names.get(id) ?? 'a staff user'}`);
  }
  if (Array.isArray(data.mentioned) && data.mentioned.length > 0) {
    parts.push(`mentioned ${data.mentioned.map((id) => names.get(String(id)) ?? 'someone').join(', ')}`);
  }
  for (const key of ['level', 'how', 'reason', 'resolution', 'summary', 'key', 'title', 'target']) {
    const value = data[key];
    if (typeof value === 'string' || typeof value === 'number') parts.push(`${key}: ${clip(String(value))}`);
  }
  if (typeof data.value === 'string' || typeof data.value === 'number' || typeof data.value === 'boolean')
    parts.push(`value: ${String(data.value)}`);
  if (typeof data.body === 'string') parts.push(`“${clip(data.body)}”`);
  if (typeof data.intoRef === 'number') parts.push(`into #${data.intoRef}`);
  if (typeof data.voteCount === 'number') parts.push(`${data.voteCount} votes`);
  if (event.type.startsWith('time_')) {
    if (typeof data.minutes === 'number') parts.push(`+${formatMinutes(data.minutes)}`);
    if (typeof data.totalMinutes === 'number') parts.push(`total ${formatMinutes(data.totalMinutes)}`);
    else if (data.totalMinutes === null) parts.push('cleared: the channel estimate applies');
  }
  return parts.join(' · ');
}

/** The append-only history: every change with who and when. */
export function EventsDrawer({
  itemId,
  opened,
  onClose,
  staff,
}: {
  itemId: string;
  opened: boolean;
  onClose: () => void;
  staff: StaffUser[];
}) {
  const events = useItemEvents(itemId, opened);
  const names = new Map(staff.map((user) => [user.id, user.name]));
  return (
    <Drawer opened={opened} onClose={onClose} title="History" position="right" size="md">
      {events.isPending && <Loader size="sm" />}
      {events.isError && <QueryError error={events.error} onRetry={() => events.refetch()} />}
      {events.data && (
        <Timeline bulletSize={14} lineWidth={2}>
          {events.data.data.map((event) => (
            <Timeline.Item key={event.id} title={label(event.type)}>
              <Stack gap={2}>
                <Text size="xs" c="dimmed">
                  {event.actorName ?? (event.actorType === 'system' ? 'Rapport' : event.actorType)} ·{' '}
                  {new Date(event.createdAt).toLocaleString()}
                </Text>
                {summary(event, names) && (
                  <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                    {summary(event, names)}
                  </Text>
                )}
              </Stack>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {events.data?.next && (
        <Badge variant="light" mt="sm">
          Older events not shown
        </Badge>
      )}
    </Drawer>
  );
}
