import { sql } from 'kysely';
import type { MetricDefinition } from '../definition.ts';

export const metric: MetricDefinition = {
  name: 'resolution_median_minutes',
  label: 'Median resolution time',
  unit: 'minutes',
  better: 'down',
  description:
    "The median (interpolated) of the minutes from an item's creation to its resolution, over the items resolved in the period " +
    '(by the day of the resolution). A reopened item counts with its latest resolution. Calendar minutes, not business hours. ' +
    'Filter by priority for the figure by priority.',
  compute: {
    kind: 'percentile',
    anchor: 'resolved_at',
    p: 0.5,
    value: sql<number>`extract(epoch from (i.resolved_at - i.created_at)) / 60`,
  },
};
