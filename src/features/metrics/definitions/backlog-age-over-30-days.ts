import { sql } from 'kysely';
import { withBacklogItems } from '../backlog-items.ts';
import { type BacklogRule, backlogMetric, backlogRule } from '../snapshot.ts';

const rule: BacklogRule = { from: sql`i.created_at + interval '30 days'` };

export const metric = withBacklogItems(
  backlogMetric(
    {
      name: 'backlog_age_over_30_days',
      label: 'Backlog older than 30 days',
      description: `The number of open items created more than 30 × 24 hours before the snapshot. ${backlogRule}`,
    },
    rule,
  ),
  rule,
);
