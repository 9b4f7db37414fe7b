import { sql } from 'kysely';
import type { MetricDefinition } from '../definition.ts';

export const metric: MetricDefinition = {
  name: 'thank_you_rate',
  label: 'Thank-you rate',
  unit: 'percent',
  better: 'up',
  description:
    'Of the praise and suggestion items closed in the period (by their closing day), the share whose customer ' +
    'was thanked.',
  compute: {
    kind: 'ratio',
    anchor: 'closed_at',
    where: sql`i.kind in ('praise', 'suggestion')`,
    numerator: sql`i.thanked_at is not null`,
  },
};
