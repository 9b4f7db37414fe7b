import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { metricCatalogue } from '../../src/features/metrics/catalogue.ts';

/** docs/metrics.md states each metric's definition in the same words as its tooltip. */
describe('the metric catalogue', () => {
  const docs = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');

  it.each(
    metricCatalogue.map((metric) => [metric.name, metric] as const),
  )('%s is documented with its unit, direction and definition', (name, metric) => {
    const row = docs.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
    expect(row, `add ${name} to the catalogue in docs/metrics.md`).toBeDefined();
    expect(row).toContain(
      `| ${metric.unit} | ${metric.better} | ${metric.description.replaceAll('|', '\\|')} |`,
    );
  });

  it('has a unique, well-formed name and a label for every metric', () => {
    for (const metric of metricCatalogue) {
      expect(metric.name).toMatch(/^[a-z][a-z0-9_]{1,60}$/);
      expect(metric.label.length).toBeGreaterThan(0);
      expect(metric.description.length).toBeGreaterThan(40);
    }
  });
});
