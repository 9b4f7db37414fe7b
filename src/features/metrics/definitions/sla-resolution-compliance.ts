import { sql } from 'kysely';
import type { MetricDefinition } from '../definition.ts';

export const metric: MetricDefinition = {
  name: 'sla_resolution_compliance',
  label: 'SLA compliance: resolution',
  unit: 'percent',
  better: 'up',
  description:
    'Of the items whose resolution due time fell in the period (by the day it was due) and has passed, the ' +
    'share whose resolution SLA was not breached. Items without a resolution due time are not counted.',
  compute: {
    kind: 'ratio',
    anchor: 'resolution_due_at',
    where: sql`i.resolution_due_at <= now()`,
    numerator: sql`i.resolution_breached_at is null`,
  },
};
