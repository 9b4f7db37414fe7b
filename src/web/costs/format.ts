import { type ItemChannel, itemChannelLabels, itemChannels } from '../../shared/listening.ts';
import type { CostSettingsVersion } from '../../shared/metric-costs.ts';

/** €6.00, €0.10: amounts in the version's currency (Rapport never converts). */
export function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** "1 March 2026" for a YYYY-MM-DD day (read as a calendar day, not an instant). */
export function day(value: string): string {
  const [year, month, date] = value.split('-').map(Number);
  return new Date(year!, month! - 1, date!).toLocaleDateString(undefined, { dateStyle: 'long' });
}

/** "March 2026" for YYYY-MM. */
export function monthName(value: string): string {
  const [year, month] = value.split('-').map(Number);
  return new Date(year!, month! - 1, 1).toLocaleDateString(undefined, { month: 'long', year: 'numeric' });
}

/** Today in the browser's zone as YYYY-MM-DD. */
export function todayLocal(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The day before a YYYY-MM-DD day. */
export function dayBefore(value: string): string {
  const [year, month, date] = value.split('-').map(Number);
  return todayLocal(new Date(year!, month! - 1, date! - 1));
}

export const channelLabel = (channel: string) => itemChannelLabels[channel as ItemChannel] ?? channel;

/** Channels a version prices (a cost or an estimate above 0), in the usual channel order. */
export function pricedChannels(version: Pick<CostSettingsVersion, 'perContact' | 'handlingMinutes'>) {
  return itemChannels.filter(
    (channel) => (version.perContact[channel] ?? 0) > 0 || (version.handlingMinutes[channel] ?? 0) > 0,
  );
}
