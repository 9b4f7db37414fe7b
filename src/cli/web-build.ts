import { join } from 'node:path';
import { isStale } from '../../bin/staleness.mjs';
import { projectRoot } from '../platform/paths.ts';

const root = projectRoot;
const sources = ['src/web', 'src/shared', 'index.html', 'vite.config.ts', 'package-lock.json'];

/** True when dist/web is missing or older than any of its sources. */
export function webBuildIsStale(): boolean {
  return isStale(root, join(root, 'dist/web/index.html'), sources);
}

export async function buildWeb(): Promise<void> {
  const { build } = await import('vite');
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}
