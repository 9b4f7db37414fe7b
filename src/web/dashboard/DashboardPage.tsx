import {
  Button,
  Center,
  Drawer,
  Group,
  Modal,
  MultiSelect,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Dashboard } from '../../shared/dashboard.ts';
import type { BreakdownDimension, MetricInfo } from '../../shared/metrics.ts';
import { api, errorMessage } from '../app/api.ts';
import { FormError, PageHeader, QueryError } from '../app/ui.tsx';
import { type SeriesParams, seriesQuery, useCatalogue } from '../goals/api.ts';
import { Breakdown, dimensionLabels } from '../goals/Breakdown.tsx';
import { ItemsDrawer } from '../goals/ItemsDrawer.tsx';
import { FilterSelects } from '../goals/parts.tsx';
import { MetricCard } from './MetricCard.tsx';
import {
  type ComparisonChoice,
  comparisonChoices,
  comparisonOf,
  intervalFor,
  localToday,
  type PeriodChoice,
  periodChoices,
  periodOf,
} from './periods.ts';
import { type DashboardView, readView, writeView } from './urlState.ts';

const dashboardKey = ['dashboard'] as const;

function ChooseMetrics({
  opened,
  onClose,
  catalogue,
  chosen,
}: {
  opened: boolean;
  onClose: () => void;
  catalogue: MetricInfo[];
  chosen: string[];
}) {
  const [value, setValue] = useState(chosen);
  const queryClient = useQueryClient();
  useEffect(() => {
    if (opened) setValue(chosen);
  }, [opened, chosen]);
  const save = useMutation({
    mutationFn: (metrics: string[]) => api.put<Dashboard>('/api/v1/dashboard', { metrics }),
    onSuccess: (saved) => {
      queryClient.setQueryData(dashboardKey, saved);
      onClose();
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title="Choose metrics" size="lg">
      <Stack>
        <MultiSelect
          label="Metrics on your dashboard"
          description="In the order chosen. Saved for you only."
          data={catalogue.map((metric) => ({ value: metric.name, label: metric.label }))}
          value={value}
          onChange={setValue}
          searchable
          clearable
        />
        <FormError message={save.isError ? errorMessage(save.error) : null} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => save.mutate(value)} loading={save.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function DashboardPage() {
  const today = localToday();
  const catalogue = useCatalogue();
  const dashboard = useQuery({
    queryKey: dashboardKey,
    queryFn: () => api.get<Dashboard>('/api/v1/dashboard'),
  });
  // Period, comparison and filters live in the query string: bookmarkable, shareable, back/forward.
  const [search, setSearch] = useSearchParams();
  const view = readView(search, today);
  const { choice, custom, comparison, filter } = view;
  const update = (change: Partial<DashboardView>, replace = false) =>
    setSearch(writeView({ ...view, ...change }), { replace });
  const [choosing, chooseModal] = useDisclosure(false);
  const [drill, setDrill] = useState<{ metric: MetricInfo; params: SeriesParams; scope?: string } | null>(
    null,
  );
  const [breakdownOf, setBreakdownOf] = useState<MetricInfo | null>(null);
  const [by, setBy] = useState<BreakdownDimension>('team');

  const period = periodOf(choice, today, custom);
  const validPeriod = period.from <= period.to;
  const before = comparisonOf(period, comparison);
  const interval = intervalFor(period);
  const params: SeriesParams = { from: period.from, to: period.to, interval, filter };
  const previousParams: SeriesParams = { from: before.from, to: before.to, interval, filter };
  const metrics = (dashboard.data?.metrics ?? [])
    .map((name) => catalogue.data?.find((metric) => metric.name === name))
    .filter((metric): metric is MetricInfo => Boolean(metric));
  // Every card's current and comparison series, in parallel.
  const results = useQueries({
    queries: metrics.flatMap((metric) => [
      seriesQuery(metric.name, params, validPeriod),
      seriesQuery(metric.name, previousParams, validPeriod),
    ]),
  });
  const comparisonLabel = comparisonChoices.find((c) => c.value === comparison)!.label;

  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Your chosen metrics for a period, compared, measured from what is recorded."
        actions={
          <Button variant="default" onClick={chooseModal.open} disabled={!catalogue.data || !dashboard.data}>
            Choose metrics
          </Button>
        }
      />
      <Group align="flex-end" gap="sm" mb="lg" wrap="wrap">
        <Select
          label="Period"
          data={periodChoices.map((c) => ({ value: c.value, label: c.label }))}
          value={choice}
          onChange={(value) => value && update({ choice: value as PeriodChoice })}
          allowDeselect={false}
          w={180}
        />
        {choice === 'custom' && (
          <>
            <TextInput
              type="date"
              label="From"
              value={custom.from}
              onChange={(e) => update({ custom: { ...custom, from: e.currentTarget.value } }, true)}
              error={validPeriod ? undefined : 'From must be on or before To.'}
            />
            <TextInput
              type="date"
              label="To"
              value={custom.to}
              onChange={(e) => update({ custom: { ...custom, to: e.currentTarget.value } }, true)}
            />
          </>
        )}
        <Select
          label="Compare with"
          data={comparisonChoices.map((c) => ({ value: c.value, label: c.label }))}
          value={comparison}
          onChange={(value) => value && update({ comparison: value as ComparisonChoice })}
          allowDeselect={false}
          w={220}
        />
        <FilterSelects value={filter} onChange={(next) => update({ filter: next })} />
      </Group>
      {catalogue.isPending || dashboard.isPending ? (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {[0, 1, 2].map((key) => (
            <Skeleton key={key} height={240} radius="md" />
          ))}
        </SimpleGrid>
      ) : catalogue.isError || dashboard.isError ? (
        <QueryError
          error={catalogue.error ?? dashboard.error}
          onRetry={() => {
            catalogue.refetch();
            dashboard.refetch();
          }}
        />
      ) : metrics.length === 0 ? (
        <Center py={48}>
          <Stack align="center" gap="xs" ta="center">
            <Text fw={600}>No metrics chosen</Text>
            <Button variant="light" onClick={chooseModal.open}>
              Choose metrics
            </Button>
          </Stack>
        </Center>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {metrics.map((metric, index) => (
            <MetricCard
              key={metric.name}
              metric={metric}
              current={results[index * 2]!}
              previous={results[index * 2 + 1]!}
              params={params}
              comparisonLabel={comparisonLabel}
              onItems={() => setDrill({ metric, params: { from: period.from, to: period.to, filter } })}
              onBreakdown={() => setBreakdownOf(metric)}
            />
          ))}
        </SimpleGrid>
      )}
      <Drawer
        opened={Boolean(breakdownOf) && !drill}
        onClose={() => setBreakdownOf(null)}
        position="right"
        size="xl"
        title={breakdownOf ? `${breakdownOf.label} by ${dimensionLabels[by].toLowerCase()}` : ''}
      >
        {breakdownOf && (
          <Breakdown
            metric={breakdownOf}
            params={{ from: period.from, to: period.to, filter }}
            by={by}
            onBy={setBy}
            onItems={(row, rowParams) =>
              setDrill({
                metric: breakdownOf,
                params: rowParams,
                scope: `${dimensionLabels[by]}: ${row.label}`,
              })
            }
          />
        )}
      </Drawer>
      <ItemsDrawer
        metric={drill?.metric ?? null}
        params={drill?.params ?? null}
        scope={drill?.scope}
        onClose={() => setDrill(null)}
      />
      {catalogue.data && dashboard.data && (
        <ChooseMetrics
          opened={choosing}
          onClose={chooseModal.close}
          catalogue={catalogue.data}
          chosen={dashboard.data.metrics}
        />
      )}
    </>
  );
}
