import { sql } from 'kysely';
import type { MetricDefinition } from '../definition.ts';

export const metric: MetricDefinition = {
  name: 'loop_closure_rate',
  label: 'Loop closure rate',
  unit: 'percent',
  better: 'up',
  description:
    'Of the items closed in the period, the share whose customer was both informed of the outcome and thanked ' +
    '(items closed with a reason instead count as not closed-the-loop).',
  compute: {
    kind: 'ratio',
    anchor: 'closed_at',
    numerator: sql`i.informed_at is not null and i.thanked_at is not null`,
  },
};
