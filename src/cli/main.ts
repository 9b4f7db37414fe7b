import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { commands } from './commands.ts';

const usage = `Usage: rapport <command> [options]

Commands:
  serve [--no-build]            Start Rapport (default). Builds the web app first if it is
                                missing or older than its sources (unless --no-build).
  dev                           Start the API and a Vite dev server with hot reload.
  migrate                       Apply pending database migrations.
  setup --workspace W --email E --name N --password P
                                Create the workspace and its first admin without the browser.
  token create --email E [--name N]
                                Create an API token for a user and print it (once).
  backup <file>                 Write a backup of the whole database to <file>.
  restore <file> [--force]      Restore a backup into an empty (or, with --force, wiped) database.
  seed --demo                   Fill the database with realistic demo data.
  metrics [<name>] [--from D] [--to D] [--interval day|week|month] [--workspace W]
          [--format table|csv|json] [--kind K] [--channel C] [--priority P] [--tag T]
                                Print a metric for a period (default: the last 12 weeks,
                                weekly); without a name, list the metric catalogue.

Configuration comes from environment variables; see the README.`;

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      demo: { type: 'boolean' },
      force: { type: 'boolean' },
      'no-build': { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      interval: { type: 'string' },
      format: { type: 'string' },
      kind: { type: 'string' },
      channel: { type: 'string' },
      priority: { type: 'string' },
      tag: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [name = 'serve', ...rest] = positionals;
  if (values.help || name === 'help') {
    console.log(usage);
    return;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  await command({ config: loadConfig(), args: rest, options: values });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || (error instanceof Error && error.name === 'CliError')) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});
