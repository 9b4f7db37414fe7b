import { sql } from 'kysely';
import type { MetricDefinition } from '../definition.ts';

export const metric: MetricDefinition = {
  name: 'escalation_rate_executive',
  label: 'Escalation rate: executive or higher',
  unit: 'percent',
  better: 'down',
  description:
    'Of the items created in the period (by their creation day), the share whose escalation reached executive or ' +
    'higher on the ladder agent → lead → manager → executive (the ladder only goes up).',
  compute: {
    kind: 'ratio',
    anchor: 'created_at',
    numerator: sql`i.escalation_level = 'executive'`,
  },
};
