import { Badge, Box, Center, Group, Paper, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import type { ProblemCompare } from '../../shared/problems.ts';
import { QueryError, TableSkeleton } from '../app/ui.tsx';
import { useProblemCompare } from './api.ts';

type CompareKey = ProblemCompare['keys'][number];
type CompareValue = CompareKey['values'][number];

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** Shares arrive as 0..1; shown as whole percentages. */
export function percent(share: number): string {
  const value = share > 1 ? share : share * 100;
  return `${Math.round(value)}%`;
}

const fraction = (share: number) => Math.max(0, Math.min(1, share > 1 ? share / 100 : share));

/** The value that separates most: the largest difference between linked and other shares. */
export function strongestValue(key: CompareKey): CompareValue | undefined {
  return [...key.values].sort(
    (a, b) => Math.abs(b.linkedShare - b.othersShare) - Math.abs(a.linkedShare - a.othersShare),
  )[0];
}

export function headline(key: CompareKey): string {
  const value = strongestValue(key);
  if (!value) return `${key.key}: no values recorded`;
  return `${key.key} = ${value.value}: ${percent(value.linkedShare)} of linked vs ${percent(value.othersShare)} of others`;
}

function Bar({ share, color, label }: { share: number; color: string; label: string }) {
  return (
    <Group gap={6} wrap="nowrap" aria-label={`${label}: ${percent(share)}`}>
      <Box
        style={{ flex: 1, height: 10, borderRadius: 5, background: 'var(--mantine-color-default-border)' }}
      >
        <Box
          style={{
            width: `${fraction(share) * 100}%`,
            height: '100%',
            borderRadius: 5,
            background: `var(--mantine-color-${color}-filled)`,
          }}
        />
      </Box>
      <Text size="xs" w={38} ta="right" ff="monospace">
        {percent(share)}
      </Text>
    </Group>
  );
}

function KeyCard({ entry, linked, comparable }: { entry: CompareKey; linked: number; comparable: number }) {
  const values = [...entry.values].sort(
    (a, b) => Math.max(b.linkedShare, b.othersShare) - Math.max(a.linkedShare, a.othersShare),
  );
  const strong = entry.separation >= 0.5;
  return (
    <Paper withBorder radius="md" p="sm" aria-label={`Observation ${entry.key}`} component="section">
      <Group justify="space-between" mb={4} wrap="nowrap">
        <Text fw={600} ff="monospace">
          {entry.key}
        </Text>
        <Tooltip label="How strongly this key separates linked from other items (0–100)" withArrow>
          <Badge variant={strong ? 'filled' : 'light'} color={strong ? 'red' : 'gray'}>
            Separation {Math.round(entry.separation * 100)}
          </Badge>
        </Tooltip>
      </Group>
      <Text size="sm" mb="xs" fw={strong ? 600 : 400}>
        {headline(entry)}
      </Text>
      <Stack gap={8}>
        {values.map((value) => (
          <Box key={value.value}>
            <Text size="xs" fw={500} truncate>
              {value.value}
            </Text>
            <Bar share={value.linkedShare} color="blue" label={`${value.value}, linked`} />
            <Bar share={value.othersShare} color="gray" label={`${value.value}, others`} />
          </Box>
        ))}
      </Stack>
      <Text size="xs" c="dimmed" mt="xs">
        Recorded on {entry.linkedWithKey} of {linked} linked and {entry.othersWithKey} of {comparable} other
        items.
      </Text>
    </Paper>
  );
}

function Legend() {
  return (
    <Group gap="md">
      <Group gap={4}>
        <Box w={12} h={12} style={{ borderRadius: 3, background: 'var(--mantine-color-blue-filled)' }} />
        <Text size="xs">Linked items</Text>
      </Group>
      <Group gap={4}>
        <Box w={12} h={12} style={{ borderRadius: 3, background: 'var(--mantine-color-gray-filled)' }} />
        <Text size="xs">Comparable items not linked</Text>
      </Group>
    </Group>
  );
}

/** Each observation key's value distribution among linked items next to comparable unlinked ones. */
export function ComparePanel({ problemId }: { problemId: string }) {
  const compare = useProblemCompare(problemId);
  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" mb="xs" align="flex-start">
        <Stack gap={2}>
          <Title order={2} size="h4">
            Compare observations
          </Title>
          {compare.data && (
            <>
              <Text size="sm">
                {compare.data.linkedItems} linked item{compare.data.linkedItems === 1 ? '' : 's'} vs{' '}
                {compare.data.comparableItems} comparable item{compare.data.comparableItems === 1 ? '' : 's'}
                {'. The keys that set the linked items apart most come first.'}
              </Text>
              <Text size="xs" c="dimmed">
                Comparable: {lowerFirst(compare.data.comparableScope)}
              </Text>
            </>
          )}
        </Stack>
        <Legend />
      </Group>
      {compare.isPending ? (
        <TableSkeleton rows={3} />
      ) : compare.isError ? (
        <QueryError error={compare.error} onRetry={() => compare.refetch()} />
      ) : compare.data.keys.length === 0 ? (
        <Center py="lg">
          <Stack gap={4} align="center" ta="center" maw={480}>
            <Text fw={500}>Nothing to compare yet</Text>
            <Text size="sm" c="dimmed">
              Record observations on the items (time of day, flavour bought, minutes parked…) — a category's
              observation template asks the same questions every time — and the values that set the linked
              items apart show up here.
            </Text>
          </Stack>
        </Center>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          {[...compare.data.keys]
            .sort((a, b) => b.separation - a.separation)
            .map((entry) => (
              <KeyCard
                key={entry.key}
                entry={entry}
                linked={compare.data.linkedItems}
                comparable={compare.data.comparableItems}
              />
            ))}
        </SimpleGrid>
      )}
    </Paper>
  );
}
