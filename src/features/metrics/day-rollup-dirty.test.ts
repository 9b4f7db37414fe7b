import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  backlogAnchor,
  dayRuns,
  dirtyBuiltDays,
  everyAnchor,
  queuedAnchors,
  snapshotShiftDays,
} from './day-rollup.ts';

const day = fc.integer({ min: 0, max: 400 }).map((offset) => addDays('2026-01-01', offset));
const queuedRow = fc.record({ day, anchor: fc.constantFrom(...queuedAnchors, everyAnchor) });
const backlogDependencies = [
  'created_at',
  'first_response_breached_at',
  'resolution_breached_at',
  'resolved_at',
  'closed_at',
];

describe('dirtyBuiltDays', () => {
  it('marks unbuilt, for each rollup anchor, exactly the dates its dependencies were queued on (and the age shifts ±1)', () => {
    fc.assert(
      fc.property(fc.array(queuedRow, { maxLength: 12 }), (queued) => {
        const rows = dirtyBuiltDays(queued);
        for (const rollupAnchor of [...queuedAnchors, backlogAnchor, everyAnchor]) {
          const dependsOn = (anchor: string) =>
            anchor === everyAnchor ||
            rollupAnchor === everyAnchor ||
            anchor === rollupAnchor ||
            (rollupAnchor === backlogAnchor && backlogDependencies.includes(anchor));
          const expected = new Set<string>();
          for (const row of queued) {
            if (!dependsOn(row.anchor)) continue;
            expected.add(`${row.day} 0`);
            const created = row.anchor === 'created_at' || row.anchor === everyAnchor;
            if (created && (rollupAnchor === backlogAnchor || rollupAnchor === everyAnchor))
              for (const shift of snapshotShiftDays) expected.add(`${addDays(row.day, shift)} 1`);
          }
          const got = rows
            .filter((row) => row.anchor === rollupAnchor)
            .map((row) => `${row.day} ${row.margin}`);
          expect(got.length).toBe(new Set(got).size);
          expect(got.sort()).toEqual([...expected].sort());
        }
      }),
    );
  });

  it('leaves the resolution rollups alone when only creation dates were queued', () => {
    const rows = dirtyBuiltDays([{ day: '2026-03-10', anchor: 'created_at' }]);
    expect(rows.filter((row) => row.anchor === 'resolved_at')).toEqual([]);
    expect(rows.filter((row) => row.anchor === 'created_at')).toEqual([
      { anchor: 'created_at', day: '2026-03-10', margin: 0 },
    ]);
    expect(rows).toContainEqual({ anchor: backlogAnchor, day: '2026-04-09', margin: 1 });
  });
});

describe('dayRuns', () => {
  it('covers every day, in order, starting and ending on given days, at most 48 runs', () => {
    fc.assert(
      fc.property(fc.uniqueArray(day, { maxLength: 200 }), (unsorted) => {
        const days = [...unsorted].sort();
        const runs = dayRuns(days);
        expect(runs.length).toBeLessThanOrEqual(48);
        for (const [first, last] of runs) {
          expect(days).toContain(first);
          expect(days).toContain(last);
          expect(first <= last).toBe(true);
        }
        for (let index = 1; index < runs.length; index++)
          expect(runs[index]![0] > runs[index - 1]![1]).toBe(true);
        for (const one of days) expect(runs.some(([first, last]) => first <= one && one <= last)).toBe(true);
        // Runs more than one day apart stay apart while there are few of them.
        if (runs.length < 48)
          for (let index = 1; index < runs.length; index++)
            expect(addDays(runs[index - 1]![1], 2) < runs[index]![0]).toBe(true);
      }),
    );
  });
});
