import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { User } from '../../shared/accounts.ts';
import type { CustomField } from '../../shared/custom-fields.ts';
import type { LadderUser } from '../../shared/listening-settings.ts';
import type { Organization } from '../../shared/organizations.ts';
import type { Person } from '../../shared/people.ts';
import { api, withQuery } from '../app/api.ts';
import { useCan } from '../app/session.ts';

export interface Page<T> {
  data: T[];
  next: string | null;
}

export type PersonRecord = Person;

/** Query parameters of a list: a value or several (repeated parameter). */
export type ListParams = Record<string, string | string[] | undefined>;

export function listPath(path: string, params: ListParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    for (const item of Array.isArray(value) ? value : [value]) if (item !== '') search.append(key, item);
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** A keyset list loaded page by page as the table scrolls near its end. */
export function useInfiniteList<T>(key: string, path: string, params: ListParams, limit = 100) {
  const query = useInfiniteQuery({
    queryKey: [key, 'list', params],
    queryFn: ({ pageParam }) =>
      api.get<Page<T>>(listPath(path, { ...params, limit: String(limit), after: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const pages = query.data?.pages;
  const rows = useMemo(() => pages?.flatMap((page) => page.data) ?? [], [pages]);
  return { ...query, rows };
}

export const personKey = (id: string) => ['people', 'one', id] as const;
export const organizationKey = (id: string) => ['organizations', 'one', id] as const;

export function usePerson(id: string) {
  return useQuery({ queryKey: personKey(id), queryFn: () => api.get<PersonRecord>(`/api/v1/people/${id}`) });
}

export function useOrganization(id: string | null | undefined) {
  return useQuery({
    queryKey: organizationKey(id ?? ''),
    queryFn: () => api.get<Organization>(`/api/v1/organizations/${id}`),
    enabled: Boolean(id),
    staleTime: 60_000,
  });
}

/** A staff member as owner pickers and owner columns need them. */
export type StaffMember = Pick<User, 'id' | 'name' | 'email'> & { role: string };

/** The active staff every role may read (GET /api/v1/users/ladder), with ladder level and team. */
export const staffLadderQuery = {
  queryKey: ['users', 'ladder'] as const,
  queryFn: async () => (await api.get<Page<LadderUser>>('/api/v1/users/ladder?limit=200')).data,
  staleTime: 5 * 60_000,
};

/**
 * Active staff, for owner pickers and owner names. Roles that may not list users read the staff
 * list every role has for the listening register (active users only).
 */
export function useUsers(): StaffMember[] {
  const can = useCan();
  const allowed = can('users.read');
  const users = useQuery({
    queryKey: ['users', 'active'],
    queryFn: async () =>
      (await api.get<Page<User>>('/api/v1/users?limit=200')).data.filter(
        (user) => user.status !== 'disabled',
      ),
    enabled: allowed,
    staleTime: 5 * 60_000,
  });
  const ladder = useQuery({ ...staffLadderQuery, enabled: !allowed });
  return (allowed ? users.data : ladder.data) ?? noStaff;
}
const noStaff: StaffMember[] = [];

/** Organizations whose name matches, for pickers. */
export function useOrganizationSearch(q: string) {
  return useQuery({
    queryKey: ['organizations', 'pick', q],
    queryFn: () => api.get<Page<Organization>>(withQuery('/api/v1/organizations', { q, limit: 20 })),
    staleTime: 30_000,
    placeholderData: (previous) => previous,
  });
}

export type CustomFieldDefinition = Pick<CustomField, 'entity' | 'key' | 'label' | 'type' | 'options'>;

const noFields: CustomField[] = [];

/** Custom field definitions of one entity, in their order (empty while loading or on failure). */
export function useCustomFields(entity: 'person' | 'organization'): CustomField[] {
  const query = useQuery({
    queryKey: ['custom-fields', entity],
    queryFn: () => api.get<Page<CustomField>>(`/api/v1/custom-fields?entity=${entity}`),
    staleTime: 60_000,
  });
  return query.data?.data ?? noFields;
}
