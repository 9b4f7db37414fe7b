#!/usr/bin/env node
// Starts the `rapport` CLI. The TypeScript sources are bundled once into dist/server (rebuilt
// when a source is newer than the bundle), so a start loads plain JavaScript.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isStale } from './staleness.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bundle = join(root, 'dist/server/rapport.mjs');
const stale = isStale(root, bundle, ['src', 'package-lock.json'], ['web']);

if (stale) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

await import(pathToFileURL(bundle).href);
