#!/usr/bin/env node
// Starts the `rapport` CLI. The TypeScript sources are bundled once into dist/server (rebuilt
// when a source is newer than the bundle), so a start loads plain JavaScript.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bundle = join(root, 'dist/server/rapport.mjs');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name !== 'web') newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

const stale =
  !existsSync(bundle) ||
  Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'package-lock.json')).mtimeMs) >
    statSync(bundle).mtimeMs;

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
