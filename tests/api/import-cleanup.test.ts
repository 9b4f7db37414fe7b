import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRow } from '../../src/platform/db/tables.ts';
import { newId } from '../../src/platform/ids.ts';
import { jobHandlers, maintenanceJob } from '../../src/platform/jobs/handlers.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('maintenance of imports', () => {
  it('drops uploads cut off more than a day ago, with their chunks, and keeps recent ones', async () => {
    const admin = await signedInUser(t, 'admin');
    const stale = newId();
    const recent = newId();
    for (const [id, age] of [
      [stale, 2 * 86_400_000],
      [recent, 60_000],
    ] as const) {
      await t.database.db
        .insertInto('imports')
        .values({
          id,
          workspace_id: admin.workspaceId,
          file_name: 'cut-off.csv',
          format: 'csv',
          status: 'uploading',
          dry_run: false,
          on_match: 'skip',
          created_at: new Date(Date.now() - age),
        })
        .execute();
      await t.database.db
        .insertInto('import_files')
        .values({
          import_id: id,
          workspace_id: admin.workspaceId,
          seq: 0,
          data: new Uint8Array(Buffer.from('a,b\n')),
        })
        .execute();
    }
    await jobHandlers[maintenanceJob]!({ payload: {} } as JobRow, t.deps);
    const left = await t.database.db
      .selectFrom('imports')
      .select('id')
      .where('id', 'in', [stale, recent])
      .execute();
    expect(left.map((row) => row.id)).toEqual([recent]);
    const chunks = await t.database.db
      .selectFrom('import_files')
      .select('import_id')
      .where('import_id', '=', stale)
      .execute();
    expect(chunks).toEqual([]);
  });
});
