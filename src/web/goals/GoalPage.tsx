import {
  Anchor,
  Button,
  Card,
  Group,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { TargetProgress } from '../../shared/goals.ts';
import type { BreakdownDimension, MetricInfo } from '../../shared/metrics.ts';
import { api, errorMessage } from '../app/api.ts';
import { useCan } from '../app/session.ts';
import { ConfirmModal, PageHeader, QueryError } from '../app/ui.tsx';
import {
  bucketEnd,
  formatDay,
  formatValue,
  goalsKey,
  type SeriesParams,
  useGoal,
  useGoalProgress,
} from './api.ts';
import { Breakdown, dimensionLabels, parseDimension } from './Breakdown.tsx';
import { GoalFormModal } from './GoalForm.tsx';
import { ItemsDrawer } from './ItemsDrawer.tsx';
import { GoalStatusBadge, MetricName } from './parts.tsx';
import { TargetChart, TargetDataTable } from './TargetChart.tsx';

function Figure({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fw={700} size="lg">
        {value}
      </Text>
      {detail && (
        <Text size="xs" c="dimmed">
          {detail}
        </Text>
      )}
    </Stack>
  );
}

interface Drill {
  metric: MetricInfo;
  params: SeriesParams;
  scope?: string;
}

function TargetSection({
  target,
  index,
  by,
  onBy,
  onItems,
}: {
  target: TargetProgress;
  index: number;
  by: BreakdownDimension;
  onBy: (by: BreakdownDimension) => void;
  onItems: (drill: Drill) => void;
}) {
  const { unit } = target.metric;
  const pick = (start: string) =>
    onItems({
      metric: target.metric,
      params: { from: start, to: bucketEnd(start, 'week', target.current.to), filter: target.filter },
    });
  // A straight line can leave the possible range (a rate above 100%): say what is possible.
  const capped = (value: number) => Math.max(0, unit === 'percent' ? Math.min(100, value) : value);
  const percent = target.progress === null ? null : Math.round(target.progress * 100);
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={`target-${index}`}>
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={2} size="h4" id={`target-${index}`}>
            <MetricName metric={target.metric} /> — {target.targetText}
          </Title>
          <GoalStatusBadge status={target.status} />
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
          <Figure
            label="Baseline"
            value={formatValue(target.baseline.value, unit)}
            detail={target.baseline.how}
          />
          <Figure
            label="Target"
            value={target.targetValue === null ? 'no baseline yet' : formatValue(target.targetValue, unit)}
            detail={target.targetText}
          />
          <Figure
            label="Current"
            value={formatValue(target.current.value, unit)}
            detail={`${formatDay(target.current.from)} – ${formatDay(target.current.to)}`}
          />
          <Stack gap={4}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              Progress
            </Text>
            <Text fw={700} size="lg">
              {percent === null ? 'no data' : `${percent}%`}
            </Text>
            <Progress
              value={percent === null ? 0 : Math.max(0, Math.min(100, percent))}
              color={target.met ? 'teal' : 'indigo'}
              aria-label="Progress from baseline to target"
            />
          </Stack>
        </SimpleGrid>
        {target.series.every((point) => point.value === null) && (
          <Text size="sm" c="dimmed">
            No data yet for this metric in the period shown: the chart fills in as it is recorded.
          </Text>
        )}
        <TargetChart target={target} onPick={pick} />
        <Text size="xs" c="dimmed">
          {target.forecast
            ? `Forecast at the deadline: ${formatValue(capped(target.forecast.valueAtDeadline), unit)} (${formatValue(capped(target.forecast.low), unit)} – ${formatValue(capped(target.forecast.high), unit)}). ${target.forecast.method}`
            : 'No forecast yet: it needs at least three weeks with data since the start.'}{' '}
          Click a week on the chart, or "Items" in the data table, to see the items behind it.
        </Text>
        <TargetDataTable target={target} onPick={pick} />
        <Breakdown
          metric={target.metric}
          params={{ from: target.current.from, to: target.current.to, filter: target.filter }}
          by={by}
          onBy={onBy}
          onItems={(row, params) =>
            onItems({ metric: target.metric, params, scope: `${dimensionLabels[by]}: ${row.label}` })
          }
        />
      </Stack>
    </Card>
  );
}

export function GoalPage() {
  const { id = '' } = useParams();
  const can = useCan();
  const goal = useGoal(id);
  const progress = useGoalProgress(id, goal.isSuccess);
  const [editing, editModal] = useDisclosure(false);
  const [deleting, deleteModal] = useDisclosure(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const [drill, setDrill] = useState<Drill | null>(null);
  // The breakdown's dimension lives in the URL: a shared link shows the same breakdown.
  const [search, setSearch] = useSearchParams();
  const by = parseDimension(search.get('by'));
  const setBy = (next: BreakdownDimension) =>
    setSearch((current) => {
      const updated = new URLSearchParams(current);
      updated.set('by', next);
      return updated;
    });
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  if (goal.isPending) return <Skeleton height={320} />;
  if (goal.isError) return <QueryError error={goal.error} onRetry={() => goal.refetch()} />;
  const data = goal.data;

  const remove = async () => {
    setRemoving(true);
    try {
      await api.delete(`/api/v1/goals/${data.id}`);
      await queryClient.invalidateQueries({ queryKey: [goalsKey] });
      navigate('/goals');
    } catch (error) {
      setDeleteError(errorMessage(error));
    } finally {
      setRemoving(false);
    }
  };

  return (
    <>
      <Anchor component={Link} to="/goals" size="sm">
        ← Goals
      </Anchor>
      <PageHeader
        title={data.title}
        description={
          <>
            {data.ownerName ?? 'No owner'} · {formatDay(data.startDate)} → {formatDay(data.deadline)}
            {data.description && ` · ${data.description}`}
          </>
        }
        actions={
          <Group>
            <GoalStatusBadge status={progress.data?.status ?? data.status} />
            {can('goals.write') && (
              <>
                <Button variant="default" onClick={editModal.open}>
                  Edit
                </Button>
                <Button variant="light" color="red" onClick={deleteModal.open}>
                  Delete
                </Button>
              </>
            )}
          </Group>
        }
      />
      {data.milestones.length > 0 && (
        <Group gap="lg" mb="md">
          {data.milestones.map((milestone) => (
            <Text key={`${milestone.date}-${milestone.title}`} size="sm">
              <b>{formatDay(milestone.date)}</b> {milestone.title}
            </Text>
          ))}
        </Group>
      )}
      {progress.isPending ? (
        <Stack>
          <Skeleton height={120} />
          <Skeleton height={280} />
        </Stack>
      ) : progress.isError ? (
        <QueryError error={progress.error} onRetry={() => progress.refetch()} />
      ) : (
        <Stack gap="lg">
          {progress.data.targets.length > 1 && (
            <Text size="sm" c="dimmed">
              {progress.data.targets.length} targets that must all hold. Evaluated on{' '}
              {formatDay(progress.data.evaluatedOn)}.
            </Text>
          )}
          {progress.data.targets.map((target, index) => (
            <TargetSection
              // biome-ignore lint/suspicious/noArrayIndexKey: a goal's targets have no id; their order is stable
              key={`${target.metric.name}-${index}`}
              target={target}
              index={index}
              by={by}
              onBy={setBy}
              onItems={setDrill}
            />
          ))}
        </Stack>
      )}
      <ItemsDrawer
        metric={drill?.metric ?? null}
        params={drill?.params ?? null}
        scope={drill?.scope}
        onClose={() => setDrill(null)}
      />
      <GoalFormModal opened={editing} onClose={editModal.close} goal={data} />
      <ConfirmModal
        opened={deleting}
        title="Delete this goal?"
        confirmLabel="Delete goal"
        onConfirm={remove}
        onClose={deleteModal.close}
        loading={removing}
      >
        "{data.title}" and its history of statuses will be deleted. The metrics themselves are not affected.
        {deleteError && ` Could not delete: ${deleteError}`}
      </ConfirmModal>
    </>
  );
}
