import { sql } from 'kysely';
import type { MetricDefinition } from '../definition.ts';

export const metric: MetricDefinition = {
  name: 'resolution_p90_minutes',
  label: 'Resolution time, 90th percentile',
  unit: 'minutes',
  better: 'down',
  description:
    "The 90th percentile (interpolated) of the minutes from an item's creation to its resolution, over the items resolved in the period " +
    '(by the day of the resolution). A reopened item counts with its latest resolution. Calendar minutes, not business hours. ' +
    'Filter by priority for the figure by priority.',
  compute: {
    kind: 'percentile',
    anchor: 'resolved_at',
    p: 0.9,
    value: sql<number>`extract(epoch from (i.resolved_at - i.created_at)) / 60`,
  },
};
