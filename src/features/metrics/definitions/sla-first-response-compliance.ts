import { sql } from 'kysely';
import type { MetricDefinition } from '../definition.ts';

export const metric: MetricDefinition = {
  name: 'sla_first_response_compliance',
  label: 'SLA compliance: first response',
  unit: 'percent',
  better: 'up',
  description:
    'Of the items whose first-response due time fell in the period (by the day it was due) and has passed, the ' +
    'share whose first-response SLA was not breached. Items without a first-response due time are not counted.',
  compute: {
    kind: 'ratio',
    anchor: 'first_response_due_at',
    where: sql`i.first_response_due_at <= now()`,
    numerator: sql`i.first_response_breached_at is null`,
  },
};
