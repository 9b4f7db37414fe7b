import type { MetricInterval } from '../../shared/metrics.ts';
import { addDays, addMonths } from '../goals/api.ts';

export const periodChoices = [
  { value: 'this_month', label: 'This month' },
  { value: 'last_month', label: 'Last month' },
  { value: 'this_quarter', label: 'This quarter' },
  { value: 'last_12_months', label: 'Last 12 months' },
  { value: 'custom', label: 'Custom' },
] as const;
export type PeriodChoice = (typeof periodChoices)[number]['value'];

export const comparisonChoices = [
  { value: 'previous', label: 'Previous period' },
  { value: 'last_year', label: 'Same period last year' },
] as const;
export type ComparisonChoice = (typeof comparisonChoices)[number]['value'];

export interface Period {
  from: string;
  to: string;
  /** Whole calendar months long (shifted by months to compare), else shifted by days. */
  months: number | null;
}

export function localToday(now = new Date()): string {
  const month = String(now.getMonth() + 1).padStart(2, '0');
  const day = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${day}`;
}

const monthStart = (date: string) => `${date.slice(0, 7)}-01`;

export function periodOf(choice: PeriodChoice, today: string, custom: { from: string; to: string }): Period {
  switch (choice) {
    case 'this_month':
      return { from: monthStart(today), to: today, months: 1 };
    case 'last_month': {
      const from = addMonths(monthStart(today), -1);
      return { from, to: addDays(monthStart(today), -1), months: 1 };
    }
    case 'this_quarter': {
      const month = Number(today.slice(5, 7));
      const first = month - ((month - 1) % 3);
      return { from: `${today.slice(0, 4)}-${String(first).padStart(2, '0')}-01`, to: today, months: 3 };
    }
    case 'last_12_months':
      return { from: addDays(addMonths(today, -12), 1), to: today, months: 12 };
    default:
      return { from: custom.from, to: custom.to, months: null };
  }
}

const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;

/** The period to compare with: the one just before (as long), or the same dates a year earlier. */
export function comparisonOf(period: Period, choice: ComparisonChoice): Period {
  if (choice === 'last_year')
    return { from: addMonths(period.from, -12), to: addMonths(period.to, -12), months: period.months };
  if (period.months !== null)
    return {
      from: addMonths(period.from, -period.months),
      to: addMonths(period.to, -period.months),
      months: period.months,
    };
  const length = days(period.from, period.to);
  return { from: addDays(period.from, -length), to: addDays(period.from, -1), months: null };
}

/** Days for a month or less, weeks up to about half a year, else months. */
export function intervalFor(period: Period): MetricInterval {
  const length = days(period.from, period.to);
  if (length <= 45) return 'day';
  if (length <= 190) return 'week';
  return 'month';
}
