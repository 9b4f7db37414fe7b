import { sql } from 'kysely';
import { withBacklogItems } from '../backlog-items.ts';
import { type BacklogRule, backlogMetric, backlogRule } from '../snapshot.ts';

const rule: BacklogRule = { where: sql`i.owner_id is null` };

export const metric = withBacklogItems(
  backlogMetric(
    {
      name: 'backlog_unowned',
      label: 'Unowned backlog',
      description:
        'The number of open items without an owner. Ownership is the current owner: its history is not replayed, ' +
        `so a past bucket counts the items that have no owner today. ${backlogRule}`,
    },
    rule,
  ),
  rule,
);
