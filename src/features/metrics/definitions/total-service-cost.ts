import { costItems } from '../cost-items.ts';
import { serviceCost } from '../costs.ts';
import type { MetricDefinition } from '../definition.ts';

export const metric: MetricDefinition = {
  name: 'total_service_cost',
  label: 'Total service cost',
  unit: 'currency',
  better: 'down',
  additive: true,
  description:
    'The service cost of the items created in the period (by their creation day): per item, the staff handling ' +
    'time (recorded, else the estimate for its channel) ÷ 60 × the hourly cost, plus the cost per contact of its ' +
    'channel, with the cost settings in force on the day it was created. Items created before the first ' +
    'settings cost nothing; no data until cost settings exist.',
  compute: {
    kind: 'custom',
    run: (context) => serviceCost(context, (cost) => cost),
    // The items created in the period, each with its cost.
    items: costItems,
  },
};
