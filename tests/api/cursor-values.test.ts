/**
 * What a decoded cursor may hand to the database: every time isCursorTime accepts, PostgreSQL
 * reads as timestamptz, and every text isCursorText accepts it stores; what they refuse includes
 * the values that once reached the database and failed there (500s found by openapi-fuzz).
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { isCursorText, isCursorTime } from '../../src/platform/http/pagination.ts';
import { openTestDatabase } from '../support/test-database.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

async function databaseReadsTime(value: string): Promise<boolean> {
  try {
    await sql`select cast(${value} as timestamptz)`.execute(database.db);
    return true;
  } catch {
    return false;
  }
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');
/** Strings shaped like times, many of them impossible (month 13, day 31 of a short month, hour 24). */
const timeLike = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    fraction: fc.option(fc.integer({ min: 0, max: 999999 }), { nil: undefined }),
    separator: fc.constantFrom('T', ' '),
    zone: fc.constantFrom('Z', '+00', '+02:00', '-0530', ''),
  })
  .map(
    (t) =>
      `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}${t.separator}${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}` +
      `${t.fraction === undefined ? '' : `.${pad(t.fraction, 6)}`}${t.zone}`,
  );

describe('isCursorTime', () => {
  it('accepts the times the server writes into cursors', async () => {
    const written = await sql<{ iso: string; text: string }>`
      select to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as iso, now()::text as text`.execute(
      database.db,
    );
    expect(isCursorTime(written.rows[0]!.iso)).toBe(true);
    expect(isCursorTime(written.rows[0]!.text)).toBe(true);
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        (date) => isCursorTime(date.toISOString()),
      ),
    );
  });

  it('accepts only what PostgreSQL reads as a time', async () => {
    await fc.assert(
      fc.asyncProperty(timeLike, async (value) => {
        if (isCursorTime(value)) expect(await databaseReadsTime(value), value).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what Date.parse accepts and PostgreSQL does not, and what is no time at all', async () => {
    for (const value of [
      '1',
      'Tue Mar 1 2020',
      '2026-02-30T00:00:00Z',
      '2026-12-07T24:00:00Z',
      '275760-09-13T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '',
      null,
      5,
    ]) {
      expect(isCursorTime(value), String(value)).toBe(false);
    }
    expect(await databaseReadsTime('1')).toBe(false);
    expect(await databaseReadsTime('2026-02-30T00:00:00Z')).toBe(false);
  });
});

describe('isCursorText', () => {
  it('accepts what PostgreSQL stores and refuses NUL and huge values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 50, unit: 'binary' }), async (value) => {
        if (!isCursorText(value)) return;
        const stored = await sql<{ value: string }>`select cast(${value} as text) as value`.execute(
          database.db,
        );
        expect(stored.rows[0]!.value).toBe(value);
      }),
      { numRuns: 200 },
    );
    expect(isCursorText('a\u0000b')).toBe(false);
    // A stored name may hold U+FFFD (a badly decoded import): its cursor must still work.
    expect(isCursorText('Jos\ufffd Garc\ufffda')).toBe(true);
    expect(isCursorText('x'.repeat(1001))).toBe(false);
    expect(isCursorText(42)).toBe(false);
    expect(isCursorText('Ünïcødé 🙂')).toBe(true);
  });
});
