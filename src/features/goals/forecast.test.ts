import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitLine, predict } from './forecast.ts';
import { goalStatus, targetStatus } from './status.ts';

describe('the linear forecast', () => {
  it('recovers any straight line exactly, with a zero-width band', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.integer({ min: 3, max: 30 }),
        (intercept, slope, count) => {
          const points = Array.from({ length: count }, (_, index) => ({
            x: index * 7,
            y: intercept + slope * index * 7,
          }));
          const fit = fitLine(points)!;
          const at = predict(fit, 700);
          expect(at.value).toBeCloseTo(intercept + slope * 700, 4);
          expect(at.high - at.low).toBeLessThan(1e-4);
        },
      ),
    );
  });

  it('needs three points, and points at more than one x', () => {
    expect(
      fitLine([
        { x: 0, y: 1 },
        { x: 7, y: 2 },
      ]),
    ).toBeNull();
    expect(
      fitLine([
        { x: 7, y: 1 },
        { x: 7, y: 2 },
        { x: 7, y: 3 },
      ]),
    ).toBeNull();
  });

  it('widens the band with the scatter around the line', () => {
    const fit = fitLine([
      { x: 0, y: 10 },
      { x: 1, y: 14 },
      { x: 2, y: 10 },
      { x: 3, y: 14 },
    ])!;
    const at = predict(fit, 4);
    expect(at.high - at.low).toBeGreaterThan(4);
  });
});

describe('goal status', () => {
  const base = { better: 'up' as const, elapsed: 0.5, pastDeadline: false };
  it('is achieved when the current value meets the target, missed when the deadline passed without it', () => {
    expect(targetStatus({ ...base, current: 61, target: 60, forecast: null, progress: 1.1 })).toBe(
      'achieved',
    );
    expect(
      targetStatus({ ...base, pastDeadline: true, current: 50, target: 60, forecast: 70, progress: 0.5 }),
    ).toBe('missed');
  });

  it('follows the forecast: on track when it meets the target, at risk halfway, off track below', () => {
    const state = { ...base, current: 40, target: 60, progress: 0.5 };
    expect(targetStatus({ ...state, forecast: 65 })).toBe('on_track');
    expect(targetStatus({ ...state, forecast: 50 })).toBe('at_risk');
    expect(targetStatus({ ...state, forecast: 10 })).toBe('off_track');
  });

  it('without a forecast, compares progress with the time elapsed; lower-is-better metrics flip', () => {
    expect(targetStatus({ ...base, current: 50, target: 60, forecast: null, progress: 0.6 })).toBe(
      'on_track',
    );
    expect(targetStatus({ ...base, current: 45, target: 60, forecast: null, progress: 0.3 })).toBe('at_risk');
    expect(targetStatus({ ...base, current: 41, target: 60, forecast: null, progress: 0.1 })).toBe(
      'off_track',
    );
    expect(
      targetStatus({ ...base, better: 'down', current: 30, target: 40, forecast: null, progress: 1.2 }),
    ).toBe('achieved');
    expect(targetStatus({ ...base, current: null, target: 60, forecast: null, progress: null })).toBe(
      'at_risk',
    );
  });

  it('a composite goal is as good as its worst target, achieved only when all are', () => {
    expect(goalStatus(['achieved', 'achieved'])).toBe('achieved');
    expect(goalStatus(['achieved', 'on_track'])).toBe('on_track');
    expect(goalStatus(['on_track', 'off_track', 'at_risk'])).toBe('off_track');
    expect(goalStatus(['achieved', 'missed'])).toBe('missed');
  });
});
