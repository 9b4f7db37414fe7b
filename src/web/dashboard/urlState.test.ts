import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemChannels, itemKinds, priorities } from '../../shared/listening.ts';
import { comparisonChoices, periodChoices } from './periods.ts';
import { type DashboardView, readView, writeView } from './urlState.ts';

const today = '2026-06-15';
const date = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((value) => value.toISOString().slice(0, 10));
const list = <T extends string>(values: readonly T[]) =>
  fc.option(fc.uniqueArray(fc.constantFrom(...values), { minLength: 1 }), { nil: undefined });

const view: fc.Arbitrary<DashboardView> = fc.record({
  choice: fc.constantFrom(...periodChoices.map((c) => c.value)),
  custom: fc.record({ from: date, to: date }),
  comparison: fc.constantFrom(...comparisonChoices.map((c) => c.value)),
  filter: fc.record({ kind: list(itemKinds), channel: list(itemChannels), priority: list(priorities) }),
});

describe('dashboard view in the query string', () => {
  it('reads back what it wrote (custom dates only matter for a custom period)', () => {
    fc.assert(
      fc.property(view, (written) => {
        const read = readView(new URLSearchParams(writeView(written).toString()), today);
        const expected =
          written.choice === 'custom' ? written : { ...written, custom: { from: '2026-05-17', to: today } };
        expect(read).toEqual(expected);
      }),
    );
  });

  it('never throws on any query string and always yields a usable view', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('period', 'from', 'to', 'compare', 'kind', 'channel', 'priority', 'x'),
          fc.string(),
        ),
        (params) => {
          const read = readView(new URLSearchParams(params), today);
          expect(periodChoices.map((c) => c.value)).toContain(read.choice);
          expect(read.custom.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          for (const kind of read.filter.kind ?? []) expect(itemKinds).toContain(kind);
        },
      ),
    );
  });

  it('keeps the default view out of the URL', () => {
    expect(writeView(readView(new URLSearchParams(), today)).toString()).toBe('');
    expect(
      writeView(
        readView(new URLSearchParams('period=last_12_months&kind=complaint,bogus'), today),
      ).toString(),
    ).toBe('period=last_12_months&kind=complaint');
  });
});
