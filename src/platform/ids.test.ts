import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId, uuidPattern } from './ids.ts';

const timeOf = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);

function expectStrictlyIncreasing(ids: string[]) {
  for (let i = 1; i < ids.length; i += 1) {
    if (!(ids[i - 1]! < ids[i]!)) throw new Error(`id ${i} (${ids[i]}) does not sort after ${ids[i - 1]}`);
  }
}

afterEach(() => {
  vi.useRealTimers();
});

// Faked clocks are set in the past: newId keeps the last time it used, and other test files of
// the same worker (isolate: false) would otherwise get ids stamped with a future time.

describe('newId', () => {
  it('makes UUIDv7 ids carrying the current time (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), (count) => {
        for (let i = 0; i < count; i += 1) {
          const before = Date.now();
          const id = newId();
          expect(id).toMatch(uuidPattern);
          expect(id[14]).toBe('7');
          expect('89ab').toContain(id[19]);
          expect(timeOf(id)).toBeGreaterThanOrEqual(before);
          expect(timeOf(id)).toBeLessThanOrEqual(Date.now());
        }
      }),
    );
  });

  it('sorts ids made one after another in the order they were made (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3000 }), (count) => {
        expectStrictlyIncreasing(Array.from({ length: count }, () => newId()));
      }),
      { numRuns: 30 },
    );
  });

  it('stays in order when more than 4096 ids are made within one millisecond', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2020-01-01T00:00:00Z') });
    const ids = Array.from({ length: 10_000 }, () => newId());
    expectStrictlyIncreasing(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every id its own random bits, across refills of the random pool', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2020-02-01T00:00:00Z') });
    // The same millisecond and counter would make equal ids if the random tail were reused.
    const tails = Array.from({ length: 2_000 }, () => newId().slice(19));
    expect(new Set(tails).size).toBe(tails.length);
  });

  it('stays in order when the clock steps back', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2020-03-01T00:00:10Z') });
    const before = newId();
    vi.setSystemTime(new Date('2020-03-01T00:00:09Z'));
    const after = newId();
    expect(after > before).toBe(true);
  });
});
