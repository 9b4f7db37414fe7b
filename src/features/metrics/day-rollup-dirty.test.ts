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
  it('marks unbuilt, for each rollup anchor, exactly the days its dependencies were queued on ±1 (and the age shifts)', () => {
    fc.assert(
      fc.property(fc.array(queuedRow, { maxLength: 12 }), (queued) => {
        const pairs = new Set(dirtyBuiltDays(queued).map(({ anchor, day }) => `${anchor} ${day}`));
        for (const rollupAnchor of [...queuedAnchors, backlogAnchor, everyAnchor]) {
          const dependsOn = (anchor: string) =>
            anchor === everyAnchor ||
            rollupAnchor === everyAnchor ||
            anchor === rollupAnchor ||
            (rollupAnchor === backlogAnchor && backlogDependencies.includes(anchor));
          const expected = new Set<string>();
          for (const row of queued) {
            if (!dependsOn(row.anchor)) continue;
            for (const offset of [-1, 0, 1]) expected.add(addDays(row.day, offset));
            const created = row.anchor === 'created_at' || row.anchor === everyAnchor;
            if (created && (rollupAnchor === backlogAnchor || rollupAnchor === everyAnchor))
              for (const shift of snapshotShiftDays)
                for (const offset of [-2, -1, 0, 1, 2]) expected.add(addDays(row.day, shift + offset));
          }
          // Only anchors that were queued (and the two groups) get pairs; each gets exactly its days.
          const got = new Set(
            [...pairs]
              .filter((pair) => pair.startsWith(`${rollupAnchor} `))
              .map((pair) => pair.split(' ')[1]),
          );
          if (got.size > 0 || expected.size > 0) expect([...got].sort()).toEqual([...expected].sort());
        }
      }),
    );
  });

  it('leaves the resolution rollups alone when only creation days were queued', () => {
    const pairs = dirtyBuiltDays([{ day: '2026-03-10', anchor: 'created_at' }]);
    expect(pairs.filter((pair) => pair.anchor === 'resolved_at')).toEqual([]);
    expect(pairs.filter((pair) => pair.anchor === 'created_at').map((pair) => pair.day)).toEqual([
      '2026-03-09',
      '2026-03-10',
      '2026-03-11',
    ]);
    expect(pairs.some((pair) => pair.anchor === backlogAnchor && pair.day === '2026-04-09')).toBe(true);
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
