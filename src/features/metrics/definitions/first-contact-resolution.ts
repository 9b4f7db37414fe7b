import { sql } from 'kysely';
import type { MetricDefinition } from '../definition.ts';

export const metric: MetricDefinition = {
  name: 'first_contact_resolution',
  label: 'First-contact resolution',
  unit: 'percent',
  better: 'up',
  description:
    'Of the items resolved in the period (by the day they were first resolved), the share resolved with at most ' +
    'one staff reply to the customer and never reopened. Merged duplicates count once, as their survivor.',
  compute: {
    kind: 'ratio',
    anchor: 'resolved_at',
    numerator: sql`i.staff_reply_count <= 1 and i.reopened_count = 0`,
  },
};
