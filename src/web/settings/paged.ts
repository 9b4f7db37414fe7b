import { useInfiniteQuery } from '@tanstack/react-query';
import { api, withQuery } from '../app/api.ts';

export interface Page<T> {
  data: T[];
  next: string | null;
}

/** A keyset-paginated list: first page now, more with "Load more" (next). */
export function usePaged<T>(
  key: string,
  path: string,
  params: Record<string, string | undefined> = {},
  limit = 50,
) {
  const query = useInfiniteQuery({
    queryKey: [key, params],
    queryFn: ({ pageParam }) => api.get<Page<T>>(withQuery(path, { ...params, limit, after: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const items = query.data?.pages.flatMap((page) => page.data) ?? [];
  return { ...query, items };
}
