import { Badge } from '@mantine/core';

const colors: Record<string, string> = {
  active: 'teal',
  invited: 'blue',
  disabled: 'gray',
  queued: 'blue',
  running: 'yellow',
  done: 'teal',
  sent: 'teal',
  not_sent: 'orange',
  failed: 'red',
};

const labels: Record<string, string> = { not_sent: 'not sent' };

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={colors[status] ?? 'gray'} variant="light" style={{ whiteSpace: 'nowrap' }}>
      {labels[status] ?? status}
    </Badge>
  );
}
