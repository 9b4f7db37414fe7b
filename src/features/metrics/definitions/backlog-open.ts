import { withBacklogItems } from '../backlog-items.ts';
import { backlogMetric, backlogRule } from '../snapshot.ts';

export const metric = withBacklogItems(
  backlogMetric({
    name: 'backlog_open',
    label: 'Open backlog',
    description: `The number of items open. ${backlogRule}`,
  }),
);
