import { Badge, Code, Drawer, Loader, Stack, Text, Timeline } from '@mantine/core';
import type { ItemEvent } from '../../shared/listening.ts';
import { QueryError } from '../app/ui.tsx';
import { useItemEvents } from './api.ts';

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
};

const label = (type: string) => eventLabels[type] ?? type.replace(/[._]/g, ' ');

function summary(event: ItemEvent): string {
  const data = event.data;
  const text = ['reason', 'resolution', 'summary', 'level', 'to', 'status', 'key']
    .filter((key) => typeof data[key] === 'string' || typeof data[key] === 'number')
    .map((key) => `${key}: ${String(data[key])}`)
    .join(' · ');
  return text;
}

/** The append-only history: every change with who and when. */
export function EventsDrawer({
  itemId,
  opened,
  onClose,
}: {
  itemId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const events = useItemEvents(itemId, opened);
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
                {summary(event) && (
                  <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                    {summary(event)}
                  </Text>
                )}
                {Object.keys(event.data).length > 0 && !summary(event) && (
                  <Code block fz={10}>
                    {JSON.stringify(event.data)}
                  </Code>
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
