import { sql } from 'kysely';
import { withBacklogItems } from '../backlog-items.ts';
import { type BacklogRule, backlogMetric, backlogRule } from '../snapshot.ts';

const rule: BacklogRule = {
  from: sql`i.created_at + interval '7 days'`,
  // One day more either way: an interval of days moves by an hour across a DST change.
  rollup: {
    fromWithin: (start, end) =>
      sql`i.created_at >= ${start} - interval '8 days' and i.created_at < ${end} - interval '6 days'`,
    shiftDays: 7,
  },
};

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
