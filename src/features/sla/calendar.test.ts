import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  type CalendarInput,
  createCalendar,
  isBusinessTime,
  localDateOf,
} from './calendar.ts';

const weekdays = [1, 2, 3, 4, 5];
const nineToFive = (timeZone: string, holidays: string[] = []): CalendarInput => ({
  timeZone,
  schedule: weekdays.map((day) => ({ day, start: '09:00', end: '17:00' })),
  holidays,
});
const at = (iso: string) => new Date(iso);
const add = (input: CalendarInput, start: string, minutes: number) =>
  addBusinessMinutes(createCalendar(input), at(start), minutes).toISOString();

describe('adding business minutes (examples)', () => {
  it('Friday 16:30 + 60 minutes with 9–17 is Monday 09:30', () => {
    expect(add(nineToFive('UTC'), '2026-11-20T16:30:00Z', 60)).toBe('2026-11-23T09:30:00.000Z');
  });

  it('starts at the next opening when created outside business hours', () => {
    expect(add(nineToFive('UTC'), '2026-11-21T12:00:00Z', 30)).toBe('2026-11-23T09:30:00.000Z');
    expect(add(nineToFive('UTC'), '2026-11-23T06:00:00Z', 8 * 60)).toBe('2026-11-23T17:00:00.000Z');
  });

  it('skips holidays (local dates in the zone)', () => {
    const input = nineToFive('Europe/Amsterdam', ['2026-12-25', '2026-12-28']);
    // Thursday 24 Dec 16:00 CET + 2h: 1h on Thursday, Friday and Monday are holidays → Tuesday 10:00 CET.
    expect(add(input, '2026-12-24T15:00:00Z', 120)).toBe('2026-12-29T09:00:00.000Z');
  });

  it('keeps local opening hours across the spring DST change in Europe/Amsterdam', () => {
    // Friday 27 March 2026 16:00 CET (15:00Z) + 2h → Monday 30 March 10:00 CEST (08:00Z).
    expect(add(nineToFive('Europe/Amsterdam'), '2026-03-27T15:00:00Z', 120)).toBe('2026-03-30T08:00:00.000Z');
  });

  it('keeps local opening hours across the autumn DST change in America/New_York', () => {
    // Friday 30 Oct 2026 16:30 EDT (20:30Z) + 60 min → Monday 2 Nov 09:30 EST (14:30Z).
    expect(add(nineToFive('America/New_York'), '2026-10-30T20:30:00Z', 60)).toBe('2026-11-02T14:30:00.000Z');
  });

  it('counts a 23-hour and a 25-hour day around the clock at their real length', () => {
    const allDay: CalendarInput = { timeZone: 'Europe/Amsterdam', schedule: [], holidays: [] };
    const calendar = createCalendar(allDay);
    expect(businessMinutesBetween(calendar, at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'))).toBe(
      23 * 60,
    );
    expect(businessMinutesBetween(calendar, at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(
      25 * 60,
    );
    // An opening interval through the skipped hour is an hour shorter that night.
    const night = createCalendar({
      timeZone: 'Europe/Amsterdam',
      schedule: [{ day: 0, start: '01:00', end: '04:00' }],
      holidays: [],
    });
    expect(businessMinutesBetween(night, at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(120);
  });

  it('an empty schedule is around the clock; long targets jump over weeks correctly', () => {
    const allDay: CalendarInput = { timeZone: 'UTC', schedule: [], holidays: [] };
    expect(add(allDay, '2026-01-01T00:00:00Z', 60 * 24 * 365)).toBe('2027-01-01T00:00:00.000Z');
    const input = nineToFive('America/New_York', ['2026-07-03', '2026-11-26']);
    const calendar = createCalendar(input);
    const start = at('2026-01-05T14:00:00Z');
    const due = addBusinessMinutes(calendar, start, 5_000 * 60);
    expect(businessMinutesBetween(calendar, start, due)).toBe(5_000 * 60);
  });

  it('works in zones with half-hour offsets and southern-hemisphere DST', () => {
    const input = nineToFive('Australia/Adelaide');
    // Friday 3 April 2026 16:30 ACDT (06:00Z); DST ends Sunday 5 April → Monday 09:30 ACST (00:00Z).
    expect(add(input, '2026-04-03T06:00:00Z', 60)).toBe('2026-04-06T00:00:00.000Z');
  });
});

const zones = [
  'UTC',
  'Europe/Amsterdam',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'America/Sao_Paulo',
  'Pacific/Auckland',
];
const clock = fc.integer({ min: 0, max: 47 }).map((half) => half * 30);
const interval = fc
  .tuple(fc.integer({ min: 0, max: 6 }), clock, fc.integer({ min: 30, max: 600 }))
  .map(([day, start, length]) => ({ day, start, end: Math.min(1440, start + length) }));
const toClock = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
/** Valid schedules: intervals of a day do not overlap (the route refuses that). */
const schedule = fc.array(interval, { maxLength: 8 }).map((entries) => {
  const kept: { day: number; start: number; end: number }[] = [];
  for (const entry of entries) {
    if (!kept.some((other) => other.day === entry.day && entry.start < other.end && other.start < entry.end))
      kept.push(entry);
  }
  return kept.map((entry) => ({ day: entry.day, start: toClock(entry.start), end: toClock(entry.end) }));
});
const start = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) })
  .map((ms) => new Date(Math.floor(ms / 60_000) * 60_000));
const holidays = fc.array(
  fc.integer({ min: Date.UTC(2020, 0, 1) / 86_400_000, max: Date.UTC(2036, 0, 1) / 86_400_000 }),
  { maxLength: 30 },
);
const calendarInput = fc
  .record({ timeZone: fc.constantFrom(...zones), schedule, holidays, start })
  .map(({ timeZone, schedule, holidays, start }) => {
    // Holidays near the start make the properties bite: shift half of them into the next weeks.
    const near = Math.floor(start.getTime() / 86_400_000);
    const dates = holidays.map((day, index) => (index % 2 === 0 ? near + (day % 30) : day));
    return {
      input: {
        timeZone,
        schedule,
        holidays: dates.map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10)),
      },
      start,
    };
  });
const minutes = fc.integer({ min: 0, max: 60 * 24 * 90 });

describe('adding and counting business minutes (properties)', () => {
  it('count(start, add(start, n)) is n', () => {
    fc.assert(
      fc.property(calendarInput, minutes, ({ input, start }, n) => {
        const calendar = createCalendar(input);
        const due = addBusinessMinutes(calendar, start, n);
        expect(businessMinutesBetween(calendar, start, due)).toBe(n);
      }),
      { numRuns: 300 },
    );
  });

  it('the result is in business hours (or at the end of an interval) and never on a holiday', () => {
    fc.assert(
      fc.property(calendarInput, minutes, ({ input, start }, n) => {
        fc.pre(n > 0);
        const calendar = createCalendar(input);
        const due = addBusinessMinutes(calendar, start, n);
        expect(isBusinessTime(calendar, due)).toBe(true);
        // At the end of an interval ending at midnight the local date is the next day: look a minute back.
        const date = localDateOf(calendar, new Date(due.getTime() - 1));
        expect(input.holidays).not.toContain(date);
      }),
      { numRuns: 300 },
    );
  });

  it('is monotonic in n', () => {
    fc.assert(
      fc.property(calendarInput, minutes, minutes, ({ input, start }, a, b) => {
        const calendar = createCalendar(input);
        const [low, high] = a <= b ? [a, b] : [b, a];
        const early = addBusinessMinutes(calendar, start, low).getTime();
        const late = addBusinessMinutes(calendar, start, high).getTime();
        expect(early).toBeLessThanOrEqual(late);
        if (high > low) expect(early).toBeLessThan(late);
      }),
      { numRuns: 300 },
    );
  });

  it('adding in two steps is adding once', () => {
    fc.assert(
      fc.property(calendarInput, minutes, minutes, ({ input, start }, a, b) => {
        const calendar = createCalendar(input);
        const once = addBusinessMinutes(calendar, start, a + b).getTime();
        const twice = addBusinessMinutes(calendar, addBusinessMinutes(calendar, start, a), b).getTime();
        expect(twice).toBe(once);
      }),
      { numRuns: 200 },
    );
  });
});

describe('speed', () => {
  it('adds a year of business time in well under a millisecond per call once warmed up', () => {
    const calendar = createCalendar(nineToFive('Europe/Amsterdam', ['2026-12-25']));
    const begin = performance.now();
    for (let i = 0; i < 1000; i += 1)
      addBusinessMinutes(calendar, new Date(Date.UTC(2026, 0, 1, i % 24)), 60 * 2000);
    expect(performance.now() - begin).toBeLessThan(2000);
  });
});
