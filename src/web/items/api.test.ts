import { describe, expect, it } from 'vitest';
import type { Item } from '../../shared/listening.ts';
import { compactSlaLabel, itemSla, missingForClose, slaState } from './api.ts';

const now = Date.parse('2026-03-02T12:00:00Z');
const at = (hours: number) => new Date(now + hours * 3_600_000).toISOString();

describe('SLA text', () => {
  it('counts down to the due time and warns when it is close', () => {
    expect(slaState('Resolution', at(5), null, null, null, now)).toEqual({
      label: 'Resolution breaching in 5h',
      tone: 'ok',
    });
    expect(slaState('First response', at(1.5), null, null, null, now)).toEqual({
      label: 'First response breaching in 1h 30m',
      tone: 'soon',
    });
    expect(slaState('Resolution', at(72), null, null, null, now)?.label).toBe('Resolution breaching in 3d');
  });

  it('says how long ago a target was breached, from the recorded breach or the due time', () => {
    expect(slaState('Resolution', at(-3), null, null, null, now)).toEqual({
      label: 'Resolution breached 3h ago',
      tone: 'breached',
    });
    // The sweep recorded the breach a little after the due time: the due time counts.
    expect(slaState('Resolution', at(-3), at(-2.9), null, null, now)?.label).toBe(
      'Resolution breached 3h ago',
    );
    // Recorded as breached even though the due time moved later (e.g. policy changed).
    expect(slaState('First response', at(2), at(-1), null, null, now)?.label).toBe(
      'First response breached 1h ago',
    );
  });

  it('reports met or late once done, paused while waiting on the customer, nothing without a target', () => {
    expect(slaState('First response', at(-1), null, at(-2), null, now)).toEqual({
      label: 'First response met',
      tone: 'met',
    });
    expect(slaState('First response', at(-2), at(-2), at(-1), null, now)).toEqual({
      label: 'First response late',
      tone: 'breached',
    });
    expect(slaState('Resolution', at(4), null, null, at(-1), now)).toEqual({
      label: 'Resolution paused (waiting on customer)',
      tone: 'paused',
    });
    expect(slaState('Resolution', null, null, null, null, now)).toBeNull();
  });
});

describe('SLA text in the list', () => {
  it('drops the target and says it short', () => {
    expect(compactSlaLabel('First response breaching in 2h 30m')).toBe('due in 2h 30m');
    expect(compactSlaLabel('Resolution breached 110d ago')).toBe('110d overdue');
    expect(compactSlaLabel('Resolution paused (waiting on customer)')).toBe('paused');
    expect(compactSlaLabel('First response late')).toBe('late');
  });
});

describe('SLA of an item', () => {
  const item = (fields: Partial<Item>) =>
    ({
      firstResponseDueAt: at(-48),
      firstResponseBreachedAt: at(-48),
      firstRespondedAt: null,
      resolutionDueAt: at(24),
      resolutionBreachedAt: null,
      resolvedAt: null,
      closedAt: null,
      slaPausedAt: null,
      ...fields,
    }) as Item;

  it('ends the first response when the item is resolved or closed without a reply', () => {
    expect(itemSla(item({}), now).map((state) => state.label)).toEqual([
      'First response breached 2d ago',
      'Resolution breaching in 24h',
    ]);
    for (const done of [{ resolvedAt: at(-24) }, { closedAt: at(-24) }]) {
      expect(itemSla(item(done), now).map((state) => state.label)).toEqual([
        'First response late',
        'Resolution met',
      ]);
    }
    // Resolved before the first response was due, without a reply: that target just stopped.
    const early = item({ firstResponseDueAt: at(-2), firstResponseBreachedAt: null, resolvedAt: at(-3) });
    expect(itemSla(early, now).map((state) => state.label)).toEqual(['Resolution met']);
    // Answered in time, then resolved: met.
    const answered = item({ ...early, firstRespondedAt: at(-4) } as Partial<Item>);
    expect(itemSla(answered, now).map((state) => state.label)).toEqual([
      'First response met',
      'Resolution met',
    ]);
  });
});

describe('what stands between an item and closing it', () => {
  it('names the missing steps', () => {
    expect(missingForClose({ informedAt: null, thankedAt: null })).toEqual([
      'the customer has not been informed of the outcome',
      'the customer has not been thanked',
    ]);
    expect(missingForClose({ informedAt: at(-1), thankedAt: null })).toEqual([
      'the customer has not been thanked',
    ]);
    expect(missingForClose({ informedAt: at(-1), thankedAt: at(-1) })).toEqual([]);
  });
});
