/** Options of a bench script run by hand: `--name value` pairs and flags after the script's path. */
const args = process.argv.slice(2);

export function option(name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

export function flag(name: string): boolean {
  return args.includes(`--${name}`);
}

/** The `--database-url` these scripts measure (a kept PostgreSQL bench database). */
export function requiredDatabaseUrl(): string {
  const url = option('database-url');
  if (!url) throw new Error('--database-url is required');
  return url;
}
