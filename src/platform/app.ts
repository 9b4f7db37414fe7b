import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type InboundReceiver, startInboundReceiver } from '../features/mail-in/receiver.ts';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import type { AppDeps } from './http/context.ts';
import { buildServer } from './http/server.ts';
import { startWorker, type Worker } from './jobs/worker.ts';
import { closeMailTransports } from './mail/outbox.ts';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The embedded database may only be opened by one process at a time: a second one would corrupt
 * it. A lock file beside it names the process that holds it.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = join(dataDir, 'rapport.lock');
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(readFileSync(lockFile, 'utf8'));
    if (holder && holder !== process.pid && isRunning(holder)) {
      throw new Error(
        `Another Rapport process (pid ${holder}) is using the embedded database in ${dataDir}. ` +
          'Stop it first, or set RAPPORT_DATA_DIR to another folder.',
      );
    }
    writeFileSync(lockFile, String(process.pid));
  }
  return () => rmSync(lockFile, { force: true });
}

/** Opens the configured database (PostgreSQL when DATABASE_URL is set, else PGlite in the data dir). */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  if (config.DATABASE_URL) {
    return openDatabase({ kind: 'postgres', url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
  }
  const unlock = lockDataDir(config.dataDir);
  try {
    const database = await openDatabase({ kind: 'pglite', dataDir: join(config.dataDir, 'db') });
    return {
      ...database,
      close: async () => {
        await database.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

export interface RunningApp {
  app: FastifyInstance;
  deps: AppDeps;
  url: string;
  /** The port the inbound SMTP receiver listens on (INBOUND_SMTP_PORT=0 picks one), null when off. */
  inboundSmtpPort: number | null;
  stop(): Promise<void>;
}

/** Opens the database, applies migrations, serves HTTP and runs jobs until stopped. */
export async function startApp(config: Config, options: { logger?: boolean } = {}): Promise<RunningApp> {
  const database = await openConfiguredDatabase(config);
  let app: FastifyInstance | undefined;
  let worker: Worker | undefined;
  let receiver: InboundReceiver | undefined;
  try {
    await migrate(database.db);
    const deps: AppDeps = { database, db: database.db, config };
    app = await buildServer(deps, { logger: options.logger ?? true });
    const address = await app.listen({ port: config.PORT, host: config.HOST });
    const log = app.log;
    if (config.JOBS_ENABLED) {
      worker = await startWorker(deps, (message, error) => log.error({ err: error }, message));
    }
    if (config.INBOUND_SMTP_PORT !== undefined) {
      receiver = await startInboundReceiver(deps, {
        port: config.INBOUND_SMTP_PORT,
        host: config.INBOUND_SMTP_HOST,
        log: (message, error) => log.error({ err: error }, message),
      });
      log.info(`Inbound SMTP receiver listening on ${config.INBOUND_SMTP_HOST}:${receiver.port}`);
    }
    const url = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
    let stopping: Promise<void> | undefined;
    return {
      app,
      deps,
      url,
      inboundSmtpPort: receiver?.port ?? null,
      stop: () => {
        // Finish in-flight requests and the running job batch, then close the database cleanly.
        stopping ??= (async () => {
          await receiver?.close();
          await app?.close();
          await worker?.stop();
          closeMailTransports();
          await database.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await receiver?.close();
    await app?.close();
    await worker?.stop();
    await database.close();
    throw error;
  }
}
