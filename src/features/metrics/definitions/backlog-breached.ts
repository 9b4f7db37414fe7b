import { sql } from 'kysely';
import { withBacklogItems } from '../backlog-items.ts';
import { type BacklogRule, backlogMetric, backlogRule } from '../snapshot.ts';

const rule: BacklogRule = {
  // Counts from the first breach (an item breached before it was created is not possible; greatest is a guard).
  from: sql`greatest(i.created_at, least(i.first_response_breached_at, i.resolution_breached_at))`,
  where: sql`(i.first_response_breached_at is not null or i.resolution_breached_at is not null)`,
  // The latest of creation and first breach falls in [start, end) only if one of them does.
  rollup: {
    fromWithin: (start, end) => sql`(i.created_at >= ${start} and i.created_at < ${end})
      or (i.first_response_breached_at >= ${start} and i.first_response_breached_at < ${end})
      or (i.resolution_breached_at >= ${start} and i.resolution_breached_at < ${end})`,
  },
};

export const metric = withBacklogItems(
  backlogMetric(
    {
      name: 'backlog_breached',
      label: 'Breached backlog',
      description:
        'The number of open items that had breached their first-response or resolution SLA by then (a breach ' +
        `stamped before the snapshot). ${backlogRule}`,
    },
    rule,
  ),
  rule,
);
