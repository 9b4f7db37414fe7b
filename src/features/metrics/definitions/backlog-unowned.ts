import { sql } from 'kysely';
import { backlogMetric, backlogRule } from '../snapshot.ts';

export const metric = backlogMetric(
  {
    name: 'backlog_unowned',
    label: 'Unowned backlog',
    description:
      'The number of open items without an owner. Ownership is the current owner: its history is not replayed, ' +
      `so a past bucket counts the items that have no owner today. ${backlogRule}`,
  },
  { where: sql`i.owner_id is null` },
);
