import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MetricDefinition } from './definition.ts';

/**
 * The metric catalogue: every file in ./definitions exports one `metric`. Adding a metric is
 * adding a file there; the API, the dashboard, goals and exports pick it up.
 */
const directory = fileURLToPath(new URL('./definitions/', import.meta.url));
const files = readdirSync(directory)
  .filter((file) => /^[a-z0-9-]+\.ts$/.test(file) && !file.endsWith('.test.ts'))
  .sort();
const modules = await Promise.all(
  files.map(
    (file) =>
      import(new URL(`./definitions/${file}`, import.meta.url).href) as Promise<{
        metric?: MetricDefinition;
      }>,
  ),
);

export const metricCatalogue: MetricDefinition[] = modules.map((module, index) => {
  if (!module.metric)
    throw new Error(`src/features/metrics/definitions/${files[index]} must export a \`metric\``);
  return module.metric;
});

const byName = new Map(metricCatalogue.map((metric) => [metric.name, metric]));
if (byName.size !== metricCatalogue.length) throw new Error('Two metric definitions share a name.');

export function findMetric(name: string): MetricDefinition | undefined {
  return byName.get(name);
}
