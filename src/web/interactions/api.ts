import type { QueryClient } from '@tanstack/react-query';

/** Query keys of this feature; a write invalidates the timelines and the people it touched. */
export const timelineKey = ['timeline'] as const;
export const goneQuietKey = ['gone-quiet'] as const;

export function afterInteractionWrite(queryClient: QueryClient) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: timelineKey }),
    queryClient.invalidateQueries({ queryKey: goneQuietKey }),
    // People pages and lists show last contacted and next follow-up.
    queryClient.invalidateQueries({ queryKey: ['people'] }),
  ]);
}

/** `?type=a&type=b` plus the other parameters that are set. */
export function pathWith(path: string, params: Record<string, string | readonly string[] | undefined>) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of typeof value === 'string' ? [value] : (value ?? []))
      if (item) search.append(key, item);
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 days ago", "yesterday", "in 2 weeks". */
export function fromNow(value: string, now = Date.now()): string {
  const seconds = (new Date(value).getTime() - now) / 1000;
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['week', 604_800],
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(0, 'minute');
}
