import { costItems } from '../cost-items.ts';
import { serviceCost } from '../costs.ts';
import type { MetricDefinition } from '../definition.ts';

export const metric: MetricDefinition = {
  name: 'cost_per_request',
  label: 'Cost per request',
  unit: 'currency',
  better: 'down',
  description:
    'The total service cost of the items created in the period ÷ the number of those items (every kind; narrow ' +
    'with the kind filter). An item costs its handling time (recorded, else the estimate for its channel) ÷ 60 × ' +
    'the hourly cost, plus the cost per contact of its channel, with the settings in force on its creation day. ' +
    'No data when no items were created or no cost settings exist.',
  compute: {
    kind: 'custom',
    run: (context) =>
      serviceCost(context, (cost, items) => (items > 0 ? Math.round((cost / items) * 100) / 100 : null)),
    // The requests averaged over: the items created in the period, each with its cost.
    items: costItems,
  },
};
