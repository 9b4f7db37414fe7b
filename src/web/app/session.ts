import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Me } from '../../shared/accounts.ts';
import type { Permission } from '../../shared/permissions.ts';
import { can } from '../../shared/permissions.ts';
import { ApiError, api, setCsrfToken } from './api.ts';

export const meKey = ['me'] as const;

/** The signed-in user, or null when signed out. */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async (): Promise<Me | null> => {
      try {
        const me = await api.get<Me>('/api/v1/me');
        setCsrfToken(me.csrfToken);
        return me;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          setCsrfToken(null);
          return null;
        }
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export function useSetupStatus(enabled: boolean) {
  return useQuery({
    queryKey: ['setup'],
    queryFn: () => api.get<{ needed: boolean }>('/api/v1/setup'),
    enabled,
    staleTime: 0,
  });
}

/** Stores the Me returned by setup, login or invite acceptance. */
export function signedIn(queryClient: QueryClient, me: Me): void {
  setCsrfToken(me.csrfToken);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
  queryClient.setQueryData(meKey, me);
  queryClient.setQueryData(['setup'], { needed: false });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    try {
      await api.post('/api/v1/auth/logout');
    } finally {
      setCsrfToken(null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
      queryClient.setQueryData(meKey, null);
    }
  }, [queryClient]);
}

/** Whether the signed-in user may use a permission (the server checks again). */
export function useCan(): (permission: Permission) => boolean {
  const { data } = useMe();
  return useCallback((permission: Permission) => (data ? can(data.user.role, permission) : false), [data]);
}
