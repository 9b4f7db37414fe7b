import { sql } from 'kysely';
import { withBacklogItems } from '../backlog-items.ts';
import { type BacklogRule, backlogMetric, backlogRule } from '../snapshot.ts';

const rule: BacklogRule = { from: sql`i.created_at + interval '7 days'` };

export const metric = withBacklogItems(
  backlogMetric(
    {
      name: 'backlog_age_over_7_days',
      label: 'Backlog older than 7 days',
      description: `The number of open items created more than 7 × 24 hours before the snapshot. ${backlogRule}`,
    },
    rule,
  ),
  rule,
);
