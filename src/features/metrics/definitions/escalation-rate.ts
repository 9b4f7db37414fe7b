import { sql } from 'kysely';
import type { MetricDefinition } from '../definition.ts';

export const metric: MetricDefinition = {
  name: 'escalation_rate',
  label: 'Escalation rate',
  unit: 'percent',
  better: 'down',
  description:
    'Of the items created in the period (by their creation day), the share escalated at least once (to lead, ' +
    'manager or executive, by rule or by hand).',
  compute: { kind: 'ratio', anchor: 'created_at', numerator: sql`i.escalated_at is not null` },
};
