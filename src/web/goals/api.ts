import { useQuery } from '@tanstack/react-query';
import type { CreateGoalInput, Goal, GoalProgress } from '../../shared/goals.ts';
import type {
  BreakdownDimension,
  MetricBreakdown,
  MetricFilter,
  MetricInfo,
  MetricInterval,
  MetricItemsResponse,
  MetricSeries,
  MetricUnit,
} from '../../shared/metrics.ts';
import { api, withQuery } from '../app/api.ts';
import { usePaged } from '../settings/paged.ts';

export const goalsKey = 'goals';
export const goalKey = (id: string) => ['goals', 'one', id] as const;
export const progressKey = (id: string) => ['goals', 'progress', id] as const;

export interface GoalTemplate {
  id: string;
  title: string;
  why: string;
  goal: CreateGoalInput;
}

export type MetricItemRow = MetricItemsResponse['data'][number];

/** The metric catalogue: the UI never lists metrics itself. */
export function useCatalogue() {
  return useQuery({
    queryKey: ['metrics', 'catalogue'],
    queryFn: async () => (await api.get<{ data: MetricInfo[] }>('/api/v1/metrics')).data,
    staleTime: 5 * 60_000,
  });
}

export function useGoals() {
  return usePaged<Goal>(goalsKey, '/api/v1/goals', {}, 50);
}

export function useGoal(id: string) {
  return useQuery({
    queryKey: goalKey(id),
    queryFn: () => api.get<Goal>(`/api/v1/goals/${id}`),
    retry: false,
  });
}

export function useGoalProgress(id: string, enabled = true) {
  return useQuery({
    queryKey: progressKey(id),
    queryFn: () => api.get<GoalProgress>(`/api/v1/goals/${id}/progress`),
    enabled,
    staleTime: 60_000,
  });
}

export function useGoalTemplates(enabled: boolean) {
  return useQuery({
    queryKey: ['goal-templates'],
    queryFn: async () => (await api.get<{ data: GoalTemplate[] }>('/api/v1/goal-templates')).data,
    enabled,
    staleTime: 5 * 60_000,
  });
}

export interface SeriesParams {
  from: string;
  to: string;
  interval?: MetricInterval;
  filter?: MetricFilter;
}

/** Query parameters of GET /metrics/:name: lists as comma-separated values. */
export function metricParams(params: SeriesParams & { format?: 'csv' }) {
  const { filter = {}, ...rest } = params;
  const flat: Record<string, string | undefined> = {
    from: rest.from,
    to: rest.to,
    interval: rest.interval,
    format: rest.format,
  };
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    flat[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return flat;
}

export const seriesPath = (name: string, params: SeriesParams & { format?: 'csv' }) =>
  withQuery(`/api/v1/metrics/${name}`, metricParams(params));

export const seriesQuery = (name: string, params: SeriesParams, enabled = true) => ({
  queryKey: ['metrics', 'series', name, metricParams(params)] as const,
  queryFn: () => api.get<MetricSeries>(seriesPath(name, params)),
  enabled,
  staleTime: 60_000,
});

export function useMetricItems(name: string | null, params: SeriesParams | null) {
  return useQuery({
    queryKey: ['metrics', 'items', name, params ? metricParams(params) : null],
    queryFn: () =>
      api.get<MetricItemsResponse>(
        withQuery(`/api/v1/metrics/${name}/items`, { ...metricParams(params!), limit: 200 }),
      ),
    enabled: Boolean(name && params),
    retry: false,
  });
}

/** GET /metrics/:name/breakdown: the metric's total once per value of a dimension, best first. */
export function useBreakdown(name: string, params: SeriesParams, by: BreakdownDimension) {
  const flat = { ...metricParams({ ...params, interval: undefined }), by };
  return useQuery({
    queryKey: ['metrics', 'breakdown', name, flat],
    queryFn: () => api.get<MetricBreakdown>(withQuery(`/api/v1/metrics/${name}/breakdown`, flat)),
    staleTime: 60_000,
    retry: false,
  });
}

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const money = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2, minimumFractionDigits: 2 });

/** A metric value in its unit; null is "no data". */
export function formatValue(value: number | null | undefined, unit: MetricUnit): string {
  if (value === null || value === undefined || Number.isNaN(value)) return 'no data';
  switch (unit) {
    case 'percent':
      return `${number.format(value)}%`;
    case 'minutes':
      return value >= 120 ? `${number.format(value / 60)} h` : `${number.format(value)} min`;
    case 'currency':
      return money.format(value);
    default:
      return number.format(value);
  }
}

/** Adds days to a YYYY-MM-DD date (calendar arithmetic in UTC, no time zone drift). */
export function addDays(date: string, days: number): string {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
}

export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const value = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(value.getUTCFullYear(), value.getUTCMonth() + 1, 0)).getUTCDate();
  value.setUTCDate(Math.min(day, last));
  return value.toISOString().slice(0, 10);
}

/** The last day of the bucket starting at `start`, capped at `to`. */
export function bucketEnd(start: string, interval: MetricInterval, to: string): string {
  const end =
    interval === 'day' ? start : interval === 'week' ? addDays(start, 6) : addDays(addMonths(start, 1), -1);
  return end > to ? to : end;
}

const shortDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A local date (YYYY-MM-DD) as "12 Mar 2026", without a time zone shift. */
export function formatDay(date: string | null | undefined): string {
  if (!date) return '—';
  const value = new Date(`${String(date).slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(value.getTime()) ? String(date) : shortDate.format(value);
}
