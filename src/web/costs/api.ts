import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CostSettingsBody,
  CostSettingsPreview,
  CostSettingsVersion,
} from '../../shared/metric-costs.ts';
import type { MetricSeries } from '../../shared/metrics.ts';
import { api, withQuery } from '../app/api.ts';

export const costSettingsKey = ['cost-settings'] as const;

/** Every version (a workspace has a handful: one page of 200 is all of them). */
export function useCostSettings() {
  return useQuery({
    queryKey: costSettingsKey,
    queryFn: () =>
      api.get<{ data: CostSettingsVersion[]; next: string | null }>('/api/v1/cost-settings?limit=200'),
  });
}

/** After a change: the versions, and every metric (the cost metrics are priced with them). */
function useAfterChange() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: costSettingsKey }),
      queryClient.invalidateQueries({ queryKey: ['metrics'] }),
    ]);
}

export function useAddCostSettings() {
  const afterChange = useAfterChange();
  return useMutation({
    mutationFn: (body: CostSettingsBody) => api.post<CostSettingsVersion>('/api/v1/cost-settings', body),
    onSuccess: afterChange,
  });
}

export function useDeleteCostSettings() {
  const afterChange = useAfterChange();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/cost-settings/${id}`),
    onSuccess: afterChange,
  });
}

/** Last month priced with the draft (null while the draft is not valid). */
export function useCostPreview(draft: CostSettingsBody | null) {
  return useQuery({
    queryKey: ['cost-settings', 'preview', draft],
    queryFn: () => api.post<CostSettingsPreview>('/api/v1/cost-settings/preview', draft),
    enabled: draft !== null,
    placeholderData: (previous) => previous,
    staleTime: 60_000,
  });
}

/** The total service cost of a month with the saved settings, to compare with the preview. */
export function useSavedMonthCost(month: { from: string; to: string } | undefined) {
  return useQuery({
    queryKey: ['metrics', 'total_service_cost', month],
    queryFn: () =>
      api.get<MetricSeries>(withQuery('/api/v1/metrics/total_service_cost', { ...month, interval: 'month' })),
    enabled: month !== undefined,
  });
}
