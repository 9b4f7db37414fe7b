import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { metricCatalogue } from './catalogue.ts';
import type { MetricDefinition } from './definition.ts';

const directory = fileURLToPath(new URL('./definitions/', import.meta.url));

describe('the metric catalogue', () => {
  it('lists every definition file, once, under a unique name that matches the file', async () => {
    const files = readdirSync(directory).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    for (const file of files) {
      const module = (await import(`./definitions/${file}`)) as { metric?: MetricDefinition };
      expect(module.metric, `${file} must export \`metric\``).toBeDefined();
      expect(metricCatalogue, `add ${file} to src/features/metrics/catalogue.ts`).toContain(module.metric);
      expect(module.metric!.name.replaceAll('_', '-'), file).toBe(file.slice(0, -3));
    }
    expect(metricCatalogue).toHaveLength(files.length);
    expect(new Set(metricCatalogue.map((metric) => metric.name)).size).toBe(metricCatalogue.length);
  });

  it('gives every metric a label, a definition a person can read, a unit and a better direction', () => {
    for (const metric of metricCatalogue) {
      expect(metric.label.length, metric.name).toBeGreaterThan(3);
      expect(metric.description.length, metric.name).toBeGreaterThan(40);
      expect(['percent', 'minutes', 'count', 'currency']).toContain(metric.unit);
      expect(['up', 'down']).toContain(metric.better);
    }
  });
});
