import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';

export const templateDatabaseName = `rapport_template_${process.pid}`;

/**
 * Prepares one migrated template database per run. On PGlite it is a dump that each test file
 * loads (~1 s instead of ~4 s for a fresh initdb); on PostgreSQL (TEST_DATABASE_URL) it is a
 * template database that each test file copies with CREATE DATABASE … TEMPLATE.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${templateDatabaseName}`);
    await admin.query(`create database ${templateDatabaseName}`);
    const url = new URL(serverUrl);
    url.pathname = `/${templateDatabaseName}`;
    const template = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 1 });
    await migrate(template.db);
    await template.close();
    project.provide('database', { kind: 'postgres', serverUrl, template: templateDatabaseName });
    return async () => {
      await admin.query(`drop database if exists ${templateDatabaseName}`);
      await admin.end();
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'rapport-test-'));
  const database = await openDatabase({ kind: 'pglite' });
  await migrate(database.db);
  const dump = await database.pglite!.dumpDataDir('none');
  await database.close();
  const file = join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('database', { kind: 'pglite', dumpFile: file });
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    database:
      | { kind: 'pglite'; dumpFile: string }
      | { kind: 'postgres'; serverUrl: string; template: string };
  }
}
