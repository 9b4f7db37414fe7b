import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import type { CostSettingsStatus, CostSettingsVersion } from '../../shared/metric-costs.ts';
import { errorMessage } from '../app/api.ts';
import { ConfirmModal, formatDate, PageHeader, QueryError, TableSkeleton } from '../app/ui.tsx';
import { useUsers } from '../people/api.ts';
import { useCostSettings, useDeleteCostSettings } from './api.ts';
import { CostSettingsForm } from './CostSettingsForm.tsx';
import { channelLabel, day, money, pricedChannels } from './format.ts';

const statusBadge: Record<CostSettingsStatus, { label: string; color: string; hint: string }> = {
  current: { label: 'In force', color: 'teal', hint: 'Prices the items created today.' },
  scheduled: {
    label: 'Scheduled',
    color: 'blue',
    hint: 'Applies from its date; it can be deleted until then.',
  },
  past: {
    label: 'Past',
    color: 'gray',
    hint: 'Priced the items created from its date until the next version.',
  },
  superseded: {
    label: 'Replaced',
    color: 'gray',
    hint: 'Another version was added later for the same day; this one never applies.',
  },
};

function Explanation() {
  return (
    <Text size="sm">
      The cost metrics (<b>total service cost</b> and <b>cost per request</b>) price every item:{' '}
      <b>handling minutes ÷ 60 × hourly staff cost + the cost per contact of its channel</b>. Handling minutes
      are the time staff record on the item (“Time spent” on the item page); for an item without recorded
      time, the estimate for its channel is used. Versions are dated so that history stays true: changing the
      hourly cost in June does not reprice March.
    </Text>
  );
}

function ChannelList({ version }: { version: CostSettingsVersion }) {
  const channels = pricedChannels(version);
  if (channels.length === 0)
    return <Text size="sm">No costs per channel: only recorded time is priced.</Text>;
  return (
    <Table fz="sm" verticalSpacing={4} aria-label="Costs in force by channel">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Channel</Table.Th>
          <Table.Th ta="right">Cost per contact</Table.Th>
          <Table.Th ta="right">Estimated minutes</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {channels.map((channel) => (
          <Table.Tr key={channel}>
            <Table.Td>{channelLabel(channel)}</Table.Td>
            <Table.Td ta="right">{money(version.perContact[channel] ?? 0, version.currency)}</Table.Td>
            <Table.Td ta="right">{version.handlingMinutes[channel] ?? 0} min</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function InForce({ version }: { version: CostSettingsVersion }) {
  return (
    <Paper withBorder p="md" radius="md" aria-labelledby="costs-in-force">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id="costs-in-force">
            In force today
          </Title>
          <Text size="sm" c="dimmed">
            since {day(version.effectiveFrom)}
          </Text>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              Hourly staff cost
            </Text>
            <Text fw={700} size="xl" data-testid="hourly-cost">
              {money(version.hourlyCost, version.currency)}
            </Text>
            <Text size="xs" c="dimmed">
              Currency {version.currency}; amounts are never converted.
            </Text>
          </Stack>
          <ChannelList version={version} />
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

/** "Phone 6.00 · Email 3.00", or "—". */
function summary(map: Record<string, number>, format: (value: number) => string) {
  const parts = Object.entries(map)
    .filter(([, value]) => value > 0)
    .map(([channel, value]) => `${channelLabel(channel)} ${format(value)}`);
  return parts.length > 0 ? parts.join(' · ') : '—';
}

function History({ versions }: { versions: CostSettingsVersion[] }) {
  const users = useUsers();
  const names = useMemo(() => new Map(users.map((user) => [user.id, user.name])), [users]);
  const remove = useDeleteCostSettings();
  const [deleting, setDeleting] = useState<CostSettingsVersion | null>(null);
  const confirmDelete = async () => {
    if (!deleting) return;
    try {
      await remove.mutateAsync(deleting.id);
      notifications.show({
        color: 'teal',
        message: `The version from ${day(deleting.effectiveFrom)} was deleted.`,
      });
    } catch (error) {
      notifications.show({ color: 'red', message: errorMessage(error) });
    }
    setDeleting(null);
  };
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          History
        </Title>
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs" aria-label="Versions of the cost settings" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>In force from</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Hourly cost</Table.Th>
                <Table.Th>Cost per contact</Table.Th>
                <Table.Th>Estimated minutes</Table.Th>
                <Table.Th>Added</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {versions.map((version) => {
                const badge = statusBadge[version.status];
                const amount = (value: number) => money(value, version.currency);
                return (
                  <Table.Tr key={version.id} data-status={version.status}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{day(version.effectiveFrom)}</Table.Td>
                    <Table.Td style={{ minWidth: 120 }}>
                      <Tooltip label={badge.hint} withArrow multiline w={240}>
                        <Badge color={badge.color} variant="light">
                          {badge.label}
                        </Badge>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>{amount(version.hourlyCost)}</Table.Td>
                    <Table.Td>{summary(version.perContact, amount)}</Table.Td>
                    <Table.Td>{summary(version.handlingMinutes, (value) => `${value} min`)}</Table.Td>
                    <Table.Td>
                      <Text size="xs">{formatDate(version.createdAt)}</Text>
                      <Text size="xs" c="dimmed">
                        {version.createdBy
                          ? (names.get(version.createdBy) ?? 'a staff user')
                          : 'a removed user'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {version.status === 'scheduled' && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="red"
                          aria-label={`Delete the version from ${day(version.effectiveFrom)}`}
                          onClick={() => setDeleting(version)}
                        >
                          Delete
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Text size="xs" c="dimmed">
          Versions that have priced items cannot be changed or deleted; add a new version to change prices
          from a date. A scheduled version can be deleted until its day comes.
        </Text>
      </Stack>
      <ConfirmModal
        opened={deleting !== null}
        title="Delete this scheduled version?"
        confirmLabel="Delete version"
        loading={remove.isPending}
        onClose={() => setDeleting(null)}
        onConfirm={confirmDelete}
      >
        {deleting &&
          `The costs from ${day(deleting.effectiveFrom)} will not apply; the version before it stays in force.`}
      </ConfirmModal>
    </Paper>
  );
}

export function CostSettingsPage() {
  const settings = useCostSettings();
  const versions = settings.data?.data ?? [];
  const current = versions.find((version) => version.status === 'current');
  const basis = current ?? versions.find((version) => version.status !== 'superseded');
  return (
    <>
      <PageHeader
        title="Service costs"
        description="What staff time and each contact cost, for the total service cost and cost per request metrics."
      />
      {settings.isPending ? (
        <TableSkeleton rows={4} />
      ) : settings.isError ? (
        <QueryError error={settings.error} onRetry={() => settings.refetch()} />
      ) : (
        <Stack gap="lg">
          {versions.length === 0 ? (
            <Alert color="blue" variant="light" title="No costs set yet" data-testid="costs-empty">
              <Stack gap="xs">
                <Explanation />
                <Text size="sm">
                  Until you set them, the cost metrics show “no data”. Start with today; add an earlier date
                  to price past items too.
                </Text>
              </Stack>
            </Alert>
          ) : (
            <>
              {current ? (
                <InForce version={current} />
              ) : (
                <Alert color="yellow" variant="light" title="No costs in force today">
                  Every version starts later; items created before the first version cost nothing.
                </Alert>
              )}
              <Explanation />
            </>
          )}
          <CostSettingsForm key={basis?.id ?? 'none'} versions={versions} basis={basis} />
          {versions.length > 0 && <History versions={versions} />}
        </Stack>
      )}
    </>
  );
}
