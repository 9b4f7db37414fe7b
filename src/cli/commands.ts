import { join } from 'node:path';
import { createFirstWorkspace, isSetupNeeded } from '../features/setup/service.ts';
import { createToken } from '../features/tokens/service.ts';
import { findUserByEmail } from '../features/users/queries.ts';
import { openConfiguredDatabase, startApp } from '../platform/app.ts';
import type { Config } from '../platform/config.ts';
import { publicUrl } from '../platform/config.ts';
import { restoreBackup, writeBackup } from '../platform/db/backup.ts';
import type { Database } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrate.ts';
import type { RequestContext } from '../platform/http/context.ts';
import { projectRoot } from '../platform/paths.ts';
import { setupInput } from '../shared/accounts.ts';
import { metricsCommand } from './metrics-command.ts';
import { seedDemo } from './seed.ts';
import { buildWeb, webBuildIsStale } from './web-build.ts';

export class CliError extends Error {
  override name = 'CliError';
}

export interface CommandInput {
  config: Config;
  args: string[];
  options: Record<string, string | boolean | undefined>;
}

async function withDatabase<T>(config: Config, run: (database: Database) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(config);
  try {
    await migrate(database.db);
    return await run(database);
  } finally {
    await database.close();
  }
}

function cliContext(database: Database, config: Config): RequestContext {
  return {
    deps: { database, db: database.db, config },
    auth: null,
    customer: null,
    requestId: 'cli',
    ip: 'cli',
    origin: publicUrl(config),
    userAgent: 'rapport-cli',
  };
}

function requireOption(options: CommandInput['options'], name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value === '') throw new CliError(`Missing --${name}.`);
  return value;
}

async function serve({ config, options }: CommandInput) {
  if (!options['no-build'] && webBuildIsStale()) {
    console.log('Building the web app (once)…');
    await buildWeb();
  }
  const started = await startApp(config);
  const needed = await isSetupNeeded(started.deps.db);
  console.log(
    needed
      ? `Rapport is running. Open ${publicUrl(config)} to create your workspace and first admin.`
      : `Rapport is running at ${publicUrl(config)}`,
  );
  const shutdown = async (signal: string) => {
    console.log(`${signal}: finishing requests and closing the database…`);
    await started.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

async function dev({ config }: CommandInput) {
  const started = await startApp({ ...config, PORT: config.PORT });
  const { createServer } = await import('vite');
  const vite = await createServer({
    configFile: join(projectRoot, 'vite.config.ts'),
    server: { port: 5173, proxy: { '/api': started.url } },
  });
  await vite.listen();
  console.log(`API on ${started.url}; web app with hot reload on http://localhost:5173`);
  process.once('SIGINT', async () => {
    await vite.close();
    await started.stop();
    process.exit(0);
  });
}

async function migrateCommand({ config }: CommandInput) {
  const database = await openConfiguredDatabase(config);
  try {
    const applied = await migrate(database.db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  } finally {
    await database.close();
  }
}

async function setup({ config, options }: CommandInput) {
  const parsed = setupInput.safeParse({
    workspaceName: options.workspace,
    name: options.name,
    email: options.email,
    password: options.password,
  });
  if (!parsed.success) {
    const names: Record<string, string> = { workspaceName: 'workspace' };
    const lines = parsed.error.issues.map(
      (i) => `  --${names[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`,
    );
    throw new CliError(`Invalid setup options:\n${lines.join('\n')}`);
  }
  await withDatabase(config, async (database) => {
    const user = await createFirstWorkspace(database.db, parsed.data, 'cli');
    console.log(
      `Created workspace "${parsed.data.workspaceName}" and admin ${parsed.data.email} (${user.id}).`,
    );
  });
}

async function token({ config, args, options }: CommandInput) {
  if (args[0] !== 'create') throw new CliError('Usage: rapport token create --email E [--name N]');
  const email = requireOption(options, 'email');
  await withDatabase(config, async (database) => {
    const user = await findUserByEmail(database.db, email);
    if (user?.status !== 'active') throw new CliError(`No active user with the email ${email}.`);
    const created = await createToken(
      cliContext(database, config),
      {
        userId: user.id,
        workspaceId: user.workspace_id,
        role: user.role,
        via: 'session',
        sessionId: null,
        tokenId: null,
        csrfToken: null,
      },
      typeof options.name === 'string' ? options.name : 'CLI token',
    );
    console.log(created.token);
  });
}

async function backup({ config, args }: CommandInput) {
  const file = args[0];
  if (!file) throw new CliError('Usage: rapport backup <file>');
  await withDatabase(config, async (database) => {
    const result = await writeBackup(database.db, file);
    console.log(`Wrote ${result.rows} rows from ${result.tables} tables to ${file}.`);
  });
}

async function restore({ config, args, options }: CommandInput) {
  const file = args[0];
  if (!file) throw new CliError('Usage: rapport restore <file> [--force]');
  await withDatabase(config, async (database) => {
    const result = await restoreBackup(database.db, file, { force: options.force === true });
    console.log(`Restored ${result.rows} rows from ${file}.`);
  });
}

async function seed({ config, options }: CommandInput) {
  if (!options.demo) throw new CliError('Usage: rapport seed --demo');
  await withDatabase(config, async (database) => {
    const summary = await seedDemo(database.db);
    console.log(summary);
  });
}

async function metrics({ config, args, options }: CommandInput) {
  await withDatabase(config, async (database) => {
    process.stdout.write(await metricsCommand(database.db, args, options));
  });
}

export const commands: Record<string, (input: CommandInput) => Promise<void>> = {
  serve,
  dev,
  migrate: migrateCommand,
  setup,
  token,
  backup,
  restore,
  seed,
  metrics,
};
