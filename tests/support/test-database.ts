import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../src/platform/db/database.ts';

/** A fresh, migrated database for one test file: a copy of the run's template. */
export async function openTestDatabase(): Promise<Database> {
  const provided = inject('database');
  if (provided.kind === 'pglite') {
    const dump = new Blob([readFileSync(provided.dumpFile)]);
    return openDatabase({ kind: 'pglite', loadDataDir: dump });
  }
  const name = `rapport_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: provided.serverUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${provided.template}`);
  const url = new URL(provided.serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await admin.query(`drop database if exists ${name}`);
      await admin.end();
    },
  };
}
