import { sql } from 'kysely';
import { backlogMetric, backlogRule } from '../snapshot.ts';

export const metric = backlogMetric(
  {
    name: 'backlog_breached',
    label: 'Breached backlog',
    description:
      'The number of open items that had breached their first-response or resolution SLA by then (a breach ' +
      `stamped before the snapshot). ${backlogRule}`,
  },
  sql`(i.first_response_breached_at < e.at or i.resolution_breached_at < e.at)`,
);
