import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ItemMessage } from '../../shared/conversation.ts';
import type { Category, Item, ItemEvent, LadderLevel } from '../../shared/listening.ts';
import { ApiError, api } from '../app/api.ts';
import { staffLadderQuery, useUsers } from '../people/api.ts';

export const itemKey = (id: string) => ['items', 'one', id] as const;
export const itemsKey = ['items'] as const;

export function useItem(id: string) {
  return useQuery({ queryKey: itemKey(id), queryFn: () => api.get<Item>(`/api/v1/items/${id}`) });
}

export function useItemEvents(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['items', 'events', id],
    queryFn: () =>
      api.get<{ data: ItemEvent[]; next: string | null }>(`/api/v1/items/${id}/events?limit=200`),
    enabled,
  });
}

export function useItemMessages(id: string) {
  return useQuery({
    queryKey: ['items', 'messages', id],
    queryFn: () =>
      api.get<{ data: ItemMessage[]; next: string | null }>(`/api/v1/items/${id}/messages?limit=200`),
    // Failed deliveries are retried by the outbox: keep the status fresh while any is pending.
    refetchInterval: (query) =>
      query.state.data?.data.some((m) => m.deliveryStatus === 'queued') ? 15_000 : false,
  });
}

export function useCategories() {
  const query = useQuery({
    queryKey: ['item-categories'],
    queryFn: () => api.get<{ data: Category[] }>('/api/v1/item-categories?limit=200'),
    staleTime: 60_000,
  });
  return query.data?.data ?? [];
}

export interface StaffUser {
  id: string;
  name: string;
  email?: string;
  ladderLevel?: LadderLevel | null;
  effectiveLevel?: LadderLevel;
  teamId?: string | null;
  teamName?: string | null;
}

/** Staff for pickers: /users/ladder (with ladder level and team) when it exists, else /users. */
export function useStaff(): StaffUser[] {
  const fallback = useUsers();
  const ladder = useQuery({
    ...staffLadderQuery,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
  if (ladder.data) return ladder.data;
  return fallback.map((user) => ({ id: user.id, name: user.name, email: user.email }));
}

/** Runs item actions (POST /items/:id/<action>) and refreshes what they change. */
export function useItemAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: string; body?: unknown }) =>
      api.post<unknown>(`/api/v1/items/${id}/${action}`, body ?? {}),
    onSettled: () =>
      Promise.all([
        afterItemWrite(queryClient, id),
        queryClient.invalidateQueries({ queryKey: ['items', 'messages', id] }),
        queryClient.invalidateQueries({ queryKey: ['items', 'events', id] }),
      ]),
  });
}

/** After any write on an item: its record, history, conversation and every list showing it. */
export async function afterItemWrite(queryClient: QueryClient, id?: string) {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: itemsKey }),
    id ? queryClient.invalidateQueries({ queryKey: itemKey(id) }) : Promise.resolve(),
    queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  ]);
}

const minute = 60_000;
function span(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / minute);
  if (minutes < 60) return `${Math.max(minutes, 1)}m`;
  // Close to a deadline the minutes matter: "1h 30m"; further out, hours or days are enough.
  if (minutes < 180)
    return minutes % 60 === 0 ? `${minutes / 60}h` : `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.round(hours / 24)}d`;
}

export type SlaTone = 'breached' | 'soon' | 'ok' | 'met' | 'paused';
export interface SlaState {
  label: string;
  tone: SlaTone;
}

/**
 * "breaching in 2h" / "breached 3h ago" for one target: breached when the breach was recorded or
 * the due time passed; "soon" within `soonMinutes`.
 */
export function slaState(
  target: 'First response' | 'Resolution',
  dueAt: string | null,
  breachedAt: string | null,
  doneAt: string | null,
  pausedAt: string | null,
  now: number,
  soonMinutes = 120,
): SlaState | null {
  if (!dueAt) return null;
  const due = Date.parse(dueAt);
  if (doneAt) {
    const late = Date.parse(doneAt) > due || breachedAt !== null;
    return { label: `${target} ${late ? 'late' : 'met'}`, tone: late ? 'breached' : 'met' };
  }
  if (breachedAt || due <= now) {
    const since = breachedAt ? Math.min(Date.parse(breachedAt), due) : due;
    return { label: `${target} breached ${span(now - since)} ago`, tone: 'breached' };
  }
  if (pausedAt) return { label: `${target} paused (waiting on customer)`, tone: 'paused' };
  const left = due - now;
  return {
    label: `${target} breaching in ${span(left)}`,
    tone: left <= soonMinutes * minute ? 'soon' : 'ok',
  };
}

/** The list's short form, the target named by the tooltip: "due in 2h 30m", "110d overdue", "paused". */
export function compactSlaLabel(label: string): string {
  return label
    .replace(/^(First response|Resolution) /, '')
    .replace(/^breaching in /, 'due in ')
    .replace(/^breached (.*) ago$/, '$1 overdue')
    .replace(/^paused \(waiting on customer\)$/, 'paused');
}

/**
 * The first response of an item resolved or closed without a reply can no longer come: it was
 * late if it breached or ended after its due time, else it simply stopped (nothing to show).
 */
function firstResponseState(item: Item, now: number): SlaState | null {
  const ended = item.resolvedAt ?? item.closedAt;
  const state = slaState(
    'First response',
    item.firstResponseDueAt,
    item.firstResponseBreachedAt,
    item.firstRespondedAt ?? ended,
    item.slaPausedAt,
    now,
  );
  return !item.firstRespondedAt && ended && state?.tone === 'met' ? null : state;
}

/** The SLA targets of an item that still matter, most urgent first. */
export function itemSla(item: Item, now: number): SlaState[] {
  const states = [
    firstResponseState(item, now),
    slaState(
      'Resolution',
      item.resolutionDueAt,
      item.resolutionBreachedAt,
      item.resolvedAt ?? item.closedAt,
      item.slaPausedAt,
      now,
    ),
  ];
  return states.filter((state): state is SlaState => state !== null);
}

/** What still stands between an item and closing it. */
export function missingForClose(item: Pick<Item, 'informedAt' | 'thankedAt'>): string[] {
  const missing: string[] = [];
  if (!item.informedAt) missing.push('the customer has not been informed of the outcome');
  if (!item.thankedAt) missing.push('the customer has not been thanked');
  return missing;
}
