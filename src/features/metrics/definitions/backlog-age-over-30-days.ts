import { sql } from 'kysely';
import { withBacklogItems } from '../backlog-items.ts';
import { type BacklogRule, backlogMetric, backlogRule } from '../snapshot.ts';

const rule: BacklogRule = {
  from: sql`i.created_at + interval '30 days'`,
  // One day more either way: an interval of days moves by an hour across a DST change.
  rollup: {
    fromWithin: (start, end) =>
      sql`i.created_at >= ${start} - interval '31 days' and i.created_at < ${end} - interval '29 days'`,
    shiftDays: 30,
  },
};

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
