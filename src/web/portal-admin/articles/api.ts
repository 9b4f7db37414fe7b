import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreateArticleInput,
  DeflectionReport,
  StaffArticle,
  UpdateArticleInput,
} from '../../../shared/portal-articles.ts';
import { api, withQuery } from '../../app/api.ts';
import { usePaged } from '../../settings/paged.ts';

export const articlesKey = 'portal-articles';
const base = '/api/v1/portal/articles';

export interface ArticleFilters {
  status?: 'draft' | 'published';
  category?: string;
  q?: string;
  flagged?: 'true';
}

export function useArticles(filters: ArticleFilters) {
  return usePaged<StaffArticle>(articlesKey, base, { ...filters });
}

export function useArticle(id: string | null) {
  return useQuery({
    queryKey: [articlesKey, 'one', id],
    queryFn: () => api.get<StaffArticle>(`${base}/${id}`),
    enabled: id !== null,
    retry: false,
  });
}

/** Categories in use, for the editor's autocomplete (from the first page of articles). */
export function useArticleCategories() {
  return useQuery({
    queryKey: [articlesKey, 'categories'],
    queryFn: async () => {
      const page = await api.get<{ data: StaffArticle[] }>(withQuery(base, { limit: 200 }));
      return [
        ...new Set(page.data.map((row) => row.category).filter((value): value is string => Boolean(value))),
      ].sort();
    },
    staleTime: 60_000,
  });
}

export function useDeflection() {
  return useQuery({
    queryKey: [articlesKey, 'deflection'],
    queryFn: () => api.get<DeflectionReport>('/api/v1/portal/deflection'),
    staleTime: 60_000,
  });
}

export function useSaveArticle(id: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateArticleInput | UpdateArticleInput) =>
      id === null ? api.post<StaffArticle>(base, input) : api.patch<StaffArticle>(`${base}/${id}`, input),
    onSuccess: (saved) => {
      queryClient.setQueryData([articlesKey, 'one', saved.id], saved);
      void queryClient.invalidateQueries({
        predicate: (query) => query.queryKey[0] === articlesKey && query.queryKey[1] !== 'one',
      });
    },
  });
}

export function useDeleteArticle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${base}/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [articlesKey] }),
  });
}

export function useArticleFromItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (itemId: string) => api.post<StaffArticle>(`${base}/from-item/${itemId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [articlesKey] }),
  });
}
