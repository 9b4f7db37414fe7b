import { useQuery } from '@tanstack/react-query';
import type { Item, LadderLevel } from '../../shared/listening.ts';
import type { LadderUser } from '../../shared/listening-settings.ts';
import type {
  ProblemCompare,
  ProblemFixOutcome,
  ProblemRecord,
  ProblemStatus,
} from '../../shared/problems.ts';
import { api } from '../app/api.ts';
import { usePaged } from '../settings/paged.ts';

export const problemsKey = ['problems'] as const;
export const problemKey = (id: string) => ['problems', 'one', id] as const;
export const compareKey = (id: string) => ['problems', 'compare', id] as const;
export const problemItemsKey = 'problem-items';

export function useProblems(status: ProblemStatus | null) {
  return usePaged<ProblemRecord>('problems', '/api/v1/problems', { status: status ?? undefined });
}

export function useProblem(id: string) {
  return useQuery({
    queryKey: problemKey(id),
    queryFn: () => api.get<ProblemRecord>(`/api/v1/problems/${id}`),
    retry: false,
  });
}

export function useProblemCompare(id: string) {
  return useQuery({
    queryKey: compareKey(id),
    queryFn: () => api.get<ProblemCompare>(`/api/v1/problems/${id}/compare`),
  });
}

/** The items linked to a problem (the items list filtered by problemId). */
export function useProblemItems(problemId: string) {
  return usePaged<Item>(problemItemsKey, '/api/v1/items', { problemId }, 100);
}

/** A staff user as the ladder list gives it (users/ladder), or a plain user when that is missing. */
export interface StaffUser {
  id: string;
  name: string;
  email: string;
  role: string;
  ladderLevel: LadderLevel;
  /** Set explicitly (null: derived from the role). */
  explicitLevel: LadderLevel | null;
  teamId: string | null;
  teamName: string | null;
}

type RawStaff = Partial<LadderUser> & { id: string; name: string; status?: string };

const roleLevel: Record<string, LadderLevel> = {
  agent: 'agent',
  manager: 'manager',
  admin: 'manager',
  executive: 'executive',
};

function listOf<T>(body: unknown, key: string): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    if (Array.isArray(record[key])) return record[key] as T[];
    if (Array.isArray(record.data)) return record.data as T[];
  }
  return [];
}

function toStaff(raw: RawStaff): StaffUser {
  return {
    id: raw.id,
    name: raw.name,
    email: raw.email ?? '',
    role: raw.role ?? 'agent',
    ladderLevel: raw.effectiveLevel ?? raw.ladderLevel ?? roleLevel[raw.role ?? 'agent'] ?? 'agent',
    explicitLevel: raw.ladderLevel ?? null,
    teamId: raw.teamId ?? null,
    teamName: raw.teamName ?? null,
  };
}

/** Under ['users', 'ladder'] so that invalidating that refreshes every staff list (the items UI keeps its own). */
export const staffKey = ['users', 'ladder', 'staff'] as const;

/** Staff with their place on the ladder and team: GET /users/ladder. */
export function useStaff() {
  return useQuery({
    queryKey: staffKey,
    queryFn: async () => {
      const body = await api.get<unknown>('/api/v1/users/ladder?limit=200');
      return listOf<RawStaff>(body, 'users')
        .filter((user) => user.status !== 'disabled')
        .map(toStaff);
    },
    staleTime: 30_000,
  });
}

export function staffName(staff: StaffUser[] | undefined, id: string | null): string | null {
  if (!id) return null;
  return staff?.find((user) => user.id === id)?.name ?? null;
}

/** What POST /problems/:id/fix answers, with names to show: who got the message, who must be told by hand. */
export interface FixOutcome {
  problem: ProblemRecord;
  informed: { name: string; email: string | null }[];
  withoutEmail: { name: string; personId: string | null; itemIds: string[] }[];
}

export function readFixOutcome(body: ProblemFixOutcome): FixOutcome {
  return {
    problem: body.problem,
    informed: body.informed.map((c) => ({ name: c.name ?? c.email ?? 'Customer', email: c.email })),
    withoutEmail: body.withoutEmail.map((c) => ({
      name: c.name ?? 'Unknown customer',
      personId: c.personId,
      itemIds: c.itemIds,
    })),
  };
}

export { listOf };
