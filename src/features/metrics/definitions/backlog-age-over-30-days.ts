import { sql } from 'kysely';
import { backlogMetric, backlogRule } from '../snapshot.ts';

export const metric = backlogMetric(
  {
    name: 'backlog_age_over_30_days',
    label: 'Backlog older than 30 days',
    description: `The number of open items created more than 30 × 24 hours before the snapshot. ${backlogRule}`,
  },
  { from: sql`i.created_at + interval '30 days'` },
);
