import { describe, expect, it } from 'vitest';
import { readsClock } from './day-rollup.ts';

describe('readsClock', () => {
  it('finds the clock in time functions, special literals and one-argument age', () => {
    for (const text of [
      'i.due <= now()',
      'i.due <= NOW ()',
      'clock_timestamp() - i.created_at',
      'i.created_at::date = current_date',
      "i.due < 'now'::timestamptz",
      "i.created_at >= 'today'::date",
      "i.created_at < ' Tomorrow '",
      'age(i.created_at) > interval $1',
      'age(coalesce(i.resolved_at, i.created_at)) > interval $1',
    ])
      expect(readsClock(text), text).toBe(true);
  });

  it('leaves SQL that does not read the clock', () => {
    for (const text of [
      'i.resolved_at - i.created_at',
      'age(i.resolved_at, i.created_at) > interval $1',
      'age(coalesce(i.resolved_at, i.closed_at), i.created_at) < interval $1',
      "i.kind = 'complaint'",
      'i.nowhere_at is null',
      'i.known_at > i.created_at',
    ])
      expect(readsClock(text), text).toBe(false);
  });
});
