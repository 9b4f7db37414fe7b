import { Sparkline } from '@mantine/charts';
import { Anchor, Button, Card, Center, Group, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Goal } from '../../shared/goals.ts';
import { useCan } from '../app/session.ts';
import { LoadMore, PageHeader, QueryError } from '../app/ui.tsx';
import { formatDay, formatValue, useGoalProgress, useGoals } from './api.ts';
import { GoalFormModal } from './GoalForm.tsx';
import { GoalStatusBadge, statusColors } from './parts.tsx';

function GoalCard({ goal }: { goal: Goal }) {
  const progress = useGoalProgress(goal.id);
  // The first target with data (the first one while none has any).
  const targets = progress.data?.targets ?? [];
  const first = targets.find((t) => t.series.some((point) => point.value !== null)) ?? targets[0];
  const status = progress.data?.status ?? goal.status;
  const points = (first?.series ?? []).flatMap((point) => (point.value === null ? [] : [point.value]));
  return (
    <Card withBorder padding="md" component="article" aria-label={goal.title}>
      <Stack gap="xs" h="100%">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Anchor component={Link} to={`/goals/${goal.id}`} fw={600} lineClamp={2}>
            {goal.title}
          </Anchor>
          <div style={{ flexShrink: 0 }}>
            <GoalStatusBadge status={status} />
          </div>
        </Group>
        <Text size="xs" c="dimmed">
          {goal.ownerName ?? 'No owner'} · {formatDay(goal.startDate)} → {formatDay(goal.deadline)}
        </Text>
        {progress.isPending ? (
          <Skeleton height={60} />
        ) : progress.isError ? (
          <Text size="xs" c="dimmed">
            Could not evaluate this goal now.
          </Text>
        ) : first && points.length < 2 ? (
          <Text size="xs" c="dimmed">
            Not enough data yet for a trend.
          </Text>
        ) : first ? (
          <>
            <Sparkline
              h={60}
              data={points}
              curveType="monotone"
              color={status ? statusColors[status] : 'indigo'}
              fillOpacity={0.25}
              strokeWidth={2}
              aria-label={`${first.metric.label} over time`}
            />
            <Text size="sm">
              {first.metric.label}: <b>{formatValue(first.current.value, first.metric.unit)}</b> · target{' '}
              {first.targetText}
              {progress.data.targets.length > 1 && ` · +${progress.data.targets.length - 1} more`}
            </Text>
          </>
        ) : null}
      </Stack>
    </Card>
  );
}

function EmptyGoals({ onTemplate, onNew }: { onTemplate?: () => void; onNew?: () => void }) {
  return (
    <Center py={48}>
      <Stack align="center" gap="xs" maw={480} ta="center">
        <Text fw={600}>No goals yet</Text>
        <Text size="sm" c="dimmed">
          A goal is a specific, measurable plan — such as "cut service cost 40% while improving first-contact
          resolution 25%" — measured automatically from what is recorded.
        </Text>
        {(onTemplate || onNew) && (
          <Group>
            {onTemplate && <Button onClick={onTemplate}>Start from a template</Button>}
            {onNew && (
              <Button variant="default" onClick={onNew}>
                New goal
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Center>
  );
}

export function GoalsPage() {
  const can = useCan();
  const goals = useGoals();
  const [opened, modal] = useDisclosure(false);
  const [withTemplates, setWithTemplates] = useState(false);
  const open = (templates: boolean) => () => {
    setWithTemplates(templates);
    modal.open();
  };
  const writable = can('goals.write');
  return (
    <>
      <PageHeader
        title="Goals"
        description="Specific, measurable plans, measured from the data: baseline, target, trend and forecast."
        actions={
          writable && (
            <Group>
              <Button variant="default" onClick={open(true)}>
                Start from a template
              </Button>
              <Button onClick={open(false)}>New goal</Button>
            </Group>
          )
        }
      />
      {goals.isPending ? (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {[0, 1, 2].map((key) => (
            <Skeleton key={key} height={170} radius="md" />
          ))}
        </SimpleGrid>
      ) : goals.isError ? (
        <QueryError error={goals.error} onRetry={() => goals.refetch()} />
      ) : goals.items.length === 0 ? (
        <EmptyGoals
          onTemplate={writable ? open(true) : undefined}
          onNew={writable ? open(false) : undefined}
        />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {goals.items.map((goal) => (
            <GoalCard key={goal.id} goal={goal} />
          ))}
        </SimpleGrid>
      )}
      <LoadMore {...goals} />
      <GoalFormModal opened={opened} onClose={modal.close} startWithTemplates={withTemplates} />
    </>
  );
}
