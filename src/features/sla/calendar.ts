/**
 * Business-time arithmetic for a workspace calendar: an IANA time zone, a weekly schedule of
 * opening intervals (local wall-clock times) and holidays (local dates). An empty schedule means
 * around the clock; holidays are closed in either case.
 *
 * Days are handled as local calendar dates ("day numbers": days since 1970-01-01 of the local
 * date) whose intervals are turned into instants through the zone's offset, so days that are 23
 * or 25 hours long (DST changes) count what the wall clock shows. Long spans jump over whole
 * weeks at a time when no holiday and no offset change falls inside them.
 */

export interface CalendarInput {
  timeZone: string;
  schedule: readonly { day: number; start: string; end: string }[];
  holidays: readonly string[];
}

export interface Calendar {
  readonly timeZone: string;
  /** Per weekday (0 = Sunday), sorted and disjoint [startMinute, endMinute) of the local day. */
  readonly week: readonly (readonly [number, number][])[];
  /** Business minutes of a week without holidays or offset changes. */
  readonly weeklyMinutes: number;
  /** Holiday day numbers, ascending. */
  readonly holidays: readonly number[];
  readonly offsets: OffsetCache;
  /** Business intervals per local day number, as computed (see intervalsOfDay). */
  readonly days: Map<number, readonly [number, number][]>;
}

const minuteMs = 60_000;
const dayMs = 86_400_000;
/** Offsets change only on 15-minute boundaries (all zones since 1970), so this bucket is exact. */
const offsetBucketMs = 900_000;
/** How many weeks one jump may cover: short enough that two offset changes never cancel out. */
const maxWeeksPerJump = 2;

export const parseClock = (value: string): number => {
  const [hours, minutes] = value.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
};

/** The day number of a YYYY-MM-DD date. */
export const dayNumberOf = (date: string): number => {
  const [year, month, day] = date.split('-').map(Number);
  return Math.round(Date.UTC(year!, month! - 1, day!) / dayMs);
};

const weekdayOf = (dayNumber: number) => (((dayNumber + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday

/** True when Intl knows the zone (and it is not a bare offset such as +02:00). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return /^[A-Za-z]/.test(timeZone);
  } catch {
    return false;
  }
}

class OffsetCache {
  private readonly format: Intl.DateTimeFormat;
  private readonly cache = new Map<number, number>();

  constructor(timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The zone's offset from UTC (ms, east positive) at an instant. */
  offsetAt(instant: number): number {
    const bucket = Math.floor(instant / offsetBucketMs);
    const cached = this.cache.get(bucket);
    if (cached !== undefined) return cached;
    const probe = bucket * offsetBucketMs;
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(probe)) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const wall = Date.UTC(
      parts.year!,
      parts.month! - 1,
      parts.day!,
      parts.hour!,
      parts.minute!,
      parts.second!,
    );
    const offset = wall - probe;
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(bucket, offset);
    return offset;
  }
}

export function createCalendar(input: CalendarInput): Calendar {
  const allDay = input.schedule.length === 0;
  const week = Array.from({ length: 7 }, (_, day) => {
    const intervals: [number, number][] = allDay
      ? [[0, 1440]]
      : input.schedule
          .filter((entry) => entry.day === day)
          .map((entry) => [parseClock(entry.start), parseClock(entry.end)] as [number, number])
          .filter(([start, end]) => end > start);
    intervals.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const interval of intervals) {
      const last = merged.at(-1);
      if (last && interval[0] <= last[1]) last[1] = Math.max(last[1], interval[1]);
      else merged.push([...interval]);
    }
    return merged;
  });
  const weeklyMinutes = week.flat().reduce((sum, [start, end]) => sum + end - start, 0);
  const holidays = [...new Set(input.holidays.map(dayNumberOf))].sort((a, b) => a - b);
  return {
    timeZone: input.timeZone,
    week,
    weeklyMinutes,
    holidays,
    offsets: new OffsetCache(input.timeZone),
    days: new Map(),
  };
}

/**
 * The instant of a local wall-clock time. An ambiguous time (clocks turned back) is its first
 * occurrence; a skipped one (clocks turned forward) moves forward with the clocks.
 */
function instantOf(calendar: Calendar, dayNumber: number, minuteOfDay: number): number {
  const wall = dayNumber * dayMs + minuteOfDay * minuteMs;
  // Offsets lie within -12h…+14h, so the instant is within this window; at most one change in it.
  const before = calendar.offsets.offsetAt(wall - 14 * 3_600_000);
  const after = calendar.offsets.offsetAt(wall + 14 * 3_600_000);
  if (before === after) return wall - before;
  const candidates = [wall - before, wall - after].filter(
    (instant) => instant + calendar.offsets.offsetAt(instant) === wall,
  );
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - Math.min(before, after);
}

/** The local day number an instant falls on. */
function dayNumberAt(calendar: Calendar, instant: number): number {
  return Math.floor((instant + calendar.offsets.offsetAt(instant)) / dayMs);
}

function isHoliday(calendar: Calendar, dayNumber: number): boolean {
  return firstHolidayFrom(calendar, dayNumber) === dayNumber;
}

/** The first holiday on or after a day (binary search), or Infinity. */
function firstHolidayFrom(calendar: Calendar, dayNumber: number): number {
  const list = calendar.holidays;
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle]! < dayNumber) low = middle + 1;
    else high = middle;
  }
  return low < list.length ? list[low]! : Number.POSITIVE_INFINITY;
}

/** The business intervals of one local day as instants (none on holidays); cached per calendar. */
function intervalsOfDay(calendar: Calendar, dayNumber: number): readonly [number, number][] {
  const cached = calendar.days.get(dayNumber);
  if (cached) return cached;
  const computed = computeIntervalsOfDay(calendar, dayNumber);
  if (calendar.days.size > 20_000) calendar.days.clear();
  calendar.days.set(dayNumber, computed);
  return computed;
}

function computeIntervalsOfDay(calendar: Calendar, dayNumber: number): [number, number][] {
  if (isHoliday(calendar, dayNumber)) return [];
  const result: [number, number][] = [];
  for (const [start, end] of calendar.week[weekdayOf(dayNumber)]!) {
    const from = instantOf(calendar, dayNumber, start);
    const to =
      end >= 1440 ? instantOf(calendar, dayNumber + 1, end - 1440) : instantOf(calendar, dayNumber, end);
    if (to > from) result.push([from, to]);
  }
  return result;
}

/**
 * How many whole weeks, starting at local midnight of `dayNumber`, can be counted at their
 * nominal length: at most `wanted`, none holding a holiday, and no offset change in between.
 */
function skippableWeeks(calendar: Calendar, dayNumber: number, wanted: number): number {
  let weeks = Math.min(wanted, maxWeeksPerJump);
  const nextHoliday = firstHolidayFrom(calendar, dayNumber);
  weeks = Math.min(weeks, Math.floor((nextHoliday - dayNumber) / 7));
  if (weeks <= 0) return 0;
  const start = instantOf(calendar, dayNumber, 0);
  const end = instantOf(calendar, dayNumber + 7 * weeks, 0);
  return end - start === 7 * weeks * dayMs ? weeks : 0;
}

/**
 * The instant `minutes` business minutes after `start`. With zero minutes it is `start`; a
 * result is always inside an opening interval or at its end, never on a holiday.
 */
export function addBusinessMinutes(calendar: Calendar, start: Date, minutes: number): Date {
  if (minutes <= 0) return new Date(start.getTime());
  if (calendar.weeklyMinutes === 0) throw new Error('The calendar has no business hours.');
  let remaining = Math.round(minutes * minuteMs);
  let from = start.getTime();
  let day = dayNumberAt(calendar, from);
  // Past the last holiday and with no opening hours at all the loop would not end; 10 years of
  // weeks per 60 business minutes is far beyond any SLA target.
  for (let guard = 0; guard < 400_000; guard += 1) {
    for (const [open, close] of intervalsOfDay(calendar, day)) {
      if (close <= from) continue;
      const begin = Math.max(open, from);
      if (remaining <= close - begin) return new Date(begin + remaining);
      remaining -= close - begin;
    }
    day += 1;
    from = Number.NEGATIVE_INFINITY;
    const weeklyMs = calendar.weeklyMinutes * minuteMs;
    while (remaining > weeklyMs) {
      const weeks = skippableWeeks(calendar, day, Math.floor((remaining - 1) / weeklyMs));
      if (weeks === 0) break;
      remaining -= weeks * weeklyMs;
      day += 7 * weeks;
    }
  }
  throw new Error('Business time could not be added: the calendar is closed for too long.');
}

/** Business time (ms) between two instants; 0 when `end` is not after `start`. */
export function businessMsBetween(calendar: Calendar, start: Date, end: Date): number {
  const from = start.getTime();
  const to = end.getTime();
  if (to <= from) return 0;
  let total = 0;
  let day = dayNumberAt(calendar, from);
  const lastDay = dayNumberAt(calendar, to);
  while (day <= lastDay) {
    for (const [open, close] of intervalsOfDay(calendar, day)) {
      const begin = Math.max(open, from);
      const finish = Math.min(close, to);
      if (finish > begin) total += finish - begin;
    }
    day += 1;
    const weeksLeft = Math.floor((lastDay - day) / 7);
    if (weeksLeft > 0 && calendar.weeklyMinutes > 0) {
      const weeks = skippableWeeks(calendar, day, weeksLeft);
      total += weeks * calendar.weeklyMinutes * minuteMs;
      day += 7 * weeks;
    }
  }
  return total;
}

/** Whole business minutes between two instants. */
export function businessMinutesBetween(calendar: Calendar, start: Date, end: Date): number {
  return Math.floor(businessMsBetween(calendar, start, end) / minuteMs);
}

/** True when the instant is inside an opening interval (or exactly at its end). */
export function isBusinessTime(calendar: Calendar, instant: Date): boolean {
  const at = instant.getTime();
  const day = dayNumberAt(calendar, at);
  return [day - 1, day].some((candidate) =>
    intervalsOfDay(calendar, candidate).some(([open, close]) => at >= open && at <= close),
  );
}

/** The local date (YYYY-MM-DD) of an instant in the calendar's zone. */
export function localDateOf(calendar: Calendar, instant: Date): string {
  return new Date(dayNumberAt(calendar, instant.getTime()) * dayMs).toISOString().slice(0, 10);
}
