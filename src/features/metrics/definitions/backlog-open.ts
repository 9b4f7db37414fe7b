import { backlogMetric, backlogRule } from '../snapshot.ts';

export const metric = backlogMetric({
  name: 'backlog_open',
  label: 'Open backlog',
  description: `The number of items open. ${backlogRule}`,
});
