/**
 * Item categories with observation templates for the demo data and the benchmarks, and the
 * observations of generated items with planted root causes (the vanilla ice-cream story).
 */
import type { Random } from './demo-data.ts';

export interface ObservationField {
  key: string;
  label: string;
  type: 'text' | 'number' | 'boolean' | 'datetime' | 'choice';
  choices?: string[];
}
export interface PlannedCategory {
  name: string;
  template: ObservationField[];
}

const choice = (key: string, label: string, choices: string[]): ObservationField => ({
  key,
  label,
  type: 'choice',
  choices,
});

/** Categories with observation templates; "Car won't start" is the vanilla ice-cream story. */
export const plannedCategories: PlannedCategory[] = [
  {
    name: "Car won't start",
    template: [
      choice('time_of_day', 'Time of day', ['morning', 'afternoon', 'evening', 'night']),
      choice('fuel_type', 'Fuel type', ['petrol', 'diesel', 'hybrid', 'electric']),
      { key: 'minutes_parked', label: 'Minutes parked', type: 'number' },
      { key: 'temperature', label: 'Outside temperature (°C)', type: 'number' },
      { key: 'store_visited', label: 'Store visited', type: 'text' },
      choice('flavour', 'Flavour bought', ['vanilla', 'chocolate', 'strawberry', 'pistachio', 'mint']),
    ],
  },
  {
    name: 'Billing',
    template: [
      choice('payment_method', 'Payment method', ['card', 'bank_transfer', 'direct_debit', 'invoice']),
      { key: 'amount', label: 'Amount', type: 'number' },
      { key: 'vat_shown', label: 'VAT shown (%)', type: 'number' },
    ],
  },
  {
    name: 'Delivery',
    template: [
      choice('carrier', 'Carrier', ['PostNL', 'DHL', 'UPS', 'own van']),
      { key: 'days_late', label: 'Days late', type: 'number' },
      { key: 'damaged', label: 'Arrived damaged', type: 'boolean' },
    ],
  },
  {
    name: 'Mobile app',
    template: [
      choice('platform', 'Platform', ['ios', 'android', 'web']),
      choice('app_version', 'App version', ['4.1', '4.2', '4.3']),
      { key: 'crashed', label: 'The app crashed', type: 'boolean' },
    ],
  },
  { name: 'Service desk', template: [] },
];

export const stores = ['Main Street', 'Harbour Mall', 'Station Square', 'Airport Road', 'Old Town'];

/**
 * Observation values for an item of a category. `planted` items carry the root cause: the
 * vanilla flavour and a short stop for cars, direct debit with a wrong VAT rate for billing.
 */
export function plannedObservations(
  random: Random,
  category: PlannedCategory,
  planted: boolean,
): [string, string | number | boolean][] {
  switch (category.name) {
    case "Car won't start":
      return [
        [
          'time_of_day',
          planted
            ? random.pick(['evening', 'evening', 'afternoon'])
            : random.pick(['morning', 'afternoon', 'evening', 'night']),
        ],
        [
          'fuel_type',
          random.weighted([
            ['petrol', 50],
            ['diesel', 25],
            ['hybrid', 15],
            ['electric', 10],
          ] as const),
        ],
        ['minutes_parked', planted ? 2 + random.int(4) : 1 + random.int(60)],
        ['temperature', 4 + random.int(26)],
        ['store_visited', random.pick(stores)],
        [
          'flavour',
          planted
            ? 'vanilla'
            : random.weighted([
                ['vanilla', 22],
                ['chocolate', 30],
                ['strawberry', 20],
                ['pistachio', 15],
                ['mint', 13],
              ] as const),
        ],
      ];
    case 'Billing':
      return [
        [
          'payment_method',
          planted
            ? 'direct_debit'
            : random.weighted([
                ['card', 45],
                ['bank_transfer', 20],
                ['direct_debit', 25],
                ['invoice', 10],
              ] as const),
        ],
        ['amount', 10 + random.int(990)],
        [
          'vat_shown',
          planted
            ? 19
            : random.weighted([
                [21, 90],
                [9, 10],
              ] as const),
        ],
      ];
    case 'Delivery':
      return [
        ['carrier', random.pick(['PostNL', 'DHL', 'UPS', 'own van'])],
        ['days_late', random.int(8)],
        ['damaged', random.chance(0.15)],
      ];
    case 'Mobile app':
      return [
        ['platform', random.pick(['ios', 'android', 'web'])],
        ['app_version', random.pick(['4.1', '4.2', '4.3'])],
        ['crashed', random.chance(0.3)],
      ];
    default:
      return [];
  }
}
