import { sql } from 'kysely';
import type { MetricDefinition } from '../definition.ts';

export const metric: MetricDefinition = {
  name: 'first_response_median_minutes',
  label: 'Median first response',
  unit: 'minutes',
  better: 'down',
  description:
    "The median (interpolated) of the minutes from an item's creation to its first response, over the items first responded to in the period " +
    '(by the day of the first response). Calendar minutes, not business hours. Filter by priority for the figure by priority.',
  compute: {
    kind: 'percentile',
    anchor: 'first_responded_at',
    p: 0.5,
    value: sql<number>`extract(epoch from (i.first_responded_at - i.created_at)) / 60`,
  },
};
