import {
  Anchor,
  Button,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { GoneQuietPerson } from '../../shared/interactions.ts';
import { api } from '../app/api.ts';
import { ClockIcon } from '../app/icons.tsx';
import { useCan } from '../app/session.ts';
import { formatDate, LoadMore, PageHeader, QueryError, TableSkeleton } from '../app/ui.tsx';
import { useUsers } from '../people/api.ts';
import { StageBadge, stageOptions } from '../people/stage.tsx';
import { fromNow, goneQuietKey, pathWith } from './api.ts';
import { LogInteractionModal } from './LogInteractionModal.tsx';

interface Page {
  data: GoneQuietPerson[];
  next: string | null;
}

/** People nobody has been in touch with for a chosen number of days, the longest-quiet first. */
export function GoneQuietPage() {
  const can = useCan();
  const [preset, setPreset] = useState('30');
  const [custom, setCustom] = useState<number | string>(45);
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [stage, setStage] = useState<string | null>(null);
  const [includeNever, setIncludeNever] = useState(false);
  const [logFor, setLogFor] = useState<string | null>(null);
  const [debouncedCustom] = useDebouncedValue(custom, 300);
  const days =
    preset === 'custom' ? Math.max(1, Math.min(3650, Number(debouncedCustom) || 1)) : Number(preset);
  const ownerOptions = useUsers().map((user) => ({ value: user.id, label: user.name }));

  const params = {
    days: String(days),
    ownerId: ownerId ?? undefined,
    stage: stage ?? undefined,
    includeNever: includeNever ? 'true' : undefined,
  };
  const query = useInfiniteQuery({
    queryKey: [...goneQuietKey, params],
    queryFn: ({ pageParam }) =>
      api.get<Page>(pathWith('/api/v1/people/gone-quiet', { ...params, limit: '50', after: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const rows = query.data?.pages.flatMap((page) => page.data) ?? [];

  let content: React.ReactNode;
  if (query.isPending) content = <TableSkeleton rows={5} />;
  else if (query.isError) content = <QueryError error={query.error} onRetry={() => query.refetch()} />;
  else if (rows.length === 0)
    content = (
      <Stack align="center" gap="xs" py="xl" c="dimmed">
        <ClockIcon size={32} />
        <Text>Nobody has gone quiet for {days} days. Everyone has heard from you.</Text>
      </Stack>
    );
  else
    content = (
      <>
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Person</Table.Th>
                <Table.Th>Last contacted</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th>Organization</Table.Th>
                <Table.Th>Next follow-up</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Td>
                    <Group gap="xs">
                      <Anchor component={Link} to={`/people/${row.id}`} fw={500}>
                        {row.displayName}
                      </Anchor>
                      <StageBadge stage={row.stage} size="xs" />
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {row.lastContactedAt ? (
                      <Tooltip label={formatDate(row.lastContactedAt)}>
                        <Text size="sm" component="time" dateTime={row.lastContactedAt}>
                          {fromNow(row.lastContactedAt)}
                        </Text>
                      </Tooltip>
                    ) : (
                      <Text size="sm" c="dimmed">
                        Never
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{row.owner?.name ?? <Text c="dimmed">—</Text>}</Table.Td>
                  <Table.Td>
                    {row.organization ? (
                      <Anchor component={Link} to={`/organizations/${row.organization.id}`} size="sm">
                        {row.organization.name}
                      </Anchor>
                    ) : (
                      <Text c="dimmed">—</Text>
                    )}
                  </Table.Td>
                  <Table.Td>{formatDate(row.nextFollowUpAt)}</Table.Td>
                  <Table.Td ta="right">
                    {can('interactions.write') && (
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => setLogFor(row.id)}
                        aria-label={`Log a call with ${row.displayName}`}
                      >
                        Log a call
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <LoadMore
          hasNextPage={query.hasNextPage}
          isFetchingNextPage={query.isFetchingNextPage}
          fetchNextPage={query.fetchNextPage}
        />
      </>
    );

  return (
    <>
      <PageHeader
        title="Gone quiet"
        description="People nobody has called, met, written to or visited lately, the longest-quiet first. Notes do not count as contact."
      />
      <Paper withBorder p="sm" radius="md" mb="md">
        <Group gap="md" align="flex-end">
          <Stack gap={4}>
            <Text size="sm" fw={500} id="quiet-days-label">
              Not contacted for
            </Text>
            <SegmentedControl
              aria-labelledby="quiet-days-label"
              value={preset}
              onChange={setPreset}
              data={[
                { value: '30', label: '30 days' },
                { value: '60', label: '60 days' },
                { value: '90', label: '90 days' },
                { value: 'custom', label: 'Custom' },
              ]}
            />
          </Stack>
          {preset === 'custom' && (
            <NumberInput
              label="Days"
              min={1}
              max={3650}
              allowDecimal={false}
              value={custom}
              onChange={setCustom}
              w={110}
            />
          )}
          <Select
            label="Owner"
            placeholder="Anyone"
            data={ownerOptions}
            value={ownerId}
            onChange={setOwnerId}
            clearable
            w={200}
          />
          <Select
            label="Stage"
            placeholder="Any stage"
            data={stageOptions}
            value={stage}
            onChange={setStage}
            clearable
            w={180}
          />
          <Switch
            label="Include people never contacted"
            checked={includeNever}
            onChange={(event) => setIncludeNever(event.currentTarget.checked)}
            mb={6}
          />
        </Group>
      </Paper>
      {content}
      <LogInteractionModal
        opened={logFor !== null}
        onClose={() => setLogFor(null)}
        {...(logFor ? { personId: logFor } : {})}
      />
    </>
  );
}
