import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest modification time under a path (0 when it does not exist), skipping the named folders. */
export function newestMtime(path, skip = []) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) {
    if (!skip.includes(name)) newest = Math.max(newest, newestMtime(join(path, name), skip));
  }
  return newest;
}

/** True when `output` is missing or older than any of `sources` (paths under `root`). */
export function isStale(root, output, sources, skip = []) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((source) => newestMtime(join(root, source), skip) > built);
}
