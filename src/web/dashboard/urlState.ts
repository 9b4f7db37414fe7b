import { itemChannels, itemKinds, priorities } from '../../shared/listening.ts';
import type { MetricFilter } from '../../shared/metrics.ts';
import { addDays } from '../goals/api.ts';
import { type ComparisonChoice, comparisonChoices, type PeriodChoice, periodChoices } from './periods.ts';

export type ListFilter = Pick<MetricFilter, 'kind' | 'channel' | 'priority'>;

/** What the dashboard shows, kept in the query string so a view can be bookmarked and shared. */
export interface DashboardView {
  choice: PeriodChoice;
  /** The custom period's dates (used when `choice` is custom). */
  custom: { from: string; to: string };
  comparison: ComparisonChoice;
  filter: ListFilter;
}

const isDate = (value: string | null): value is string =>
  value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));

function oneOf<T extends string>(allowed: readonly T[], value: string | null, fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** A comma-separated list of known values; unknown ones are dropped (an old or edited link). */
function listOf<T extends string>(allowed: readonly T[], value: string | null): T[] | undefined {
  const list = (value ?? '').split(',').filter((entry): entry is T => allowed.includes(entry as T));
  return list.length > 0 ? [...new Set(list)] : undefined;
}

/** Reads the view from the URL; anything missing or invalid falls back to the defaults. */
export function readView(search: URLSearchParams, today: string): DashboardView {
  const from = search.get('from');
  const to = search.get('to');
  return {
    choice: oneOf(
      periodChoices.map((c) => c.value),
      search.get('period'),
      'this_month',
    ),
    custom: { from: isDate(from) ? from : addDays(today, -29), to: isDate(to) ? to : today },
    comparison: oneOf(
      comparisonChoices.map((c) => c.value),
      search.get('compare'),
      'previous',
    ),
    filter: {
      kind: listOf(itemKinds, search.get('kind')),
      channel: listOf(itemChannels, search.get('channel')),
      priority: listOf(priorities, search.get('priority')),
    },
  };
}

/** The view as query parameters; defaults are left out so that the plain URL stays plain. */
export function writeView(view: DashboardView): URLSearchParams {
  const search = new URLSearchParams();
  if (view.choice !== 'this_month') search.set('period', view.choice);
  if (view.choice === 'custom') {
    search.set('from', view.custom.from);
    search.set('to', view.custom.to);
  }
  if (view.comparison !== 'previous') search.set('compare', view.comparison);
  for (const key of ['kind', 'channel', 'priority'] as const) {
    const list = view.filter[key];
    if (list?.length) search.set(key, list.join(','));
  }
  return search;
}
