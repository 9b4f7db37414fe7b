const dayMs = 86_400_000;

/** Local calendar dates as YYYY-MM-DD strings; arithmetic in UTC so no time zone shifts them. */
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);

export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);

export const minDate = (a: string, b: string) => (a < b ? a : b);

/** Today in a time zone, e.g. 2026-11-23 in Europe/Amsterdam. */
export function localToday(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}
