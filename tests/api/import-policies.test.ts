import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxSkipNotices } from '../../src/features/imports/batch.ts';
import { runImport } from '../../src/features/imports/job.ts';
import { drainJobs } from '../../src/platform/jobs/worker.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { importFile, peopleOf, upload } from './import-helpers.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

const csv = [
  'First Name,Last Name,Email,Phone,Company,Tags',
  'Ana,Lima,ana@example.com,,Acme,vip',
  'Bo,Chen,,+1 415 555 0100,Acme,',
  'Cy,Dee,,,Globex,',
  'Ana,Lima,ANA@example.com,,Acme,early', // same person again, later in the file
].join('\n');
const file = { name: 'people.csv', content: csv };

describe('dry run, match policies and re-runs', () => {
  it('a dry run validates and matches but writes nothing except the report', async () => {
    const before = await t.database.db.selectFrom('people').select('id').execute();
    const orgsBefore = await t.database.db.selectFrom('organizations').select('id').execute();
    const report = await importFile(t, admin.client, file, { dryRun: 'true' });
    expect(report).toMatchObject({
      status: 'done',
      dryRun: true,
      total: 4,
      created: 3,
      skipped: 1,
      failed: 0,
      organizationsCreated: 2,
    });
    expect(await t.database.db.selectFrom('people').select('id').execute()).toHaveLength(before.length);
    expect(await t.database.db.selectFrom('organizations').select('id').execute()).toHaveLength(
      orgsBefore.length,
    );
    const audits = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'import.batch')
      .execute();
    expect(audits).toHaveLength(0);
    // The skipped row says why: which row it repeats, and by what.
    expect(report.errors).toEqual([
      { row: 5, severity: 'warning', message: 'Skipped: the same email as row 2.' },
    ]);
  });

  it('imports, then re-running the same file creates no duplicates (skip, update)', async () => {
    const first = await importFile(t, admin.client, file);
    expect(first).toMatchObject({ created: 3, skipped: 1, failed: 0, organizationsCreated: 2 });
    expect(await peopleOf(admin.client)).toHaveLength(3);

    expect(first.errors).toEqual([
      { row: 5, severity: 'warning', message: 'Skipped: the same email as row 2.' },
    ]);

    const again = await importFile(t, admin.client, file);
    expect(again).toMatchObject({ created: 0, skipped: 4, organizationsCreated: 0 });
    expect(again.errors.map((problem: { message: string }) => problem.message)).toEqual([
      'Skipped: Ana Lima is already in Rapport with this email (import with "Update the person" to add this row\'s details).',
      'Skipped: Bo Chen is already in Rapport with this phone (import with "Update the person" to add this row\'s details).',
      'Skipped: Cy Dee is already in Rapport with this name (import with "Update the person" to add this row\'s details).',
      'Skipped: Ana Lima is already in Rapport with this email (import with "Update the person" to add this row\'s details).',
    ]);
    const updated = await importFile(t, admin.client, file, { onMatch: 'update' });
    expect(updated).toMatchObject({ created: 0, failed: 0 });
    const people = await peopleOf(admin.client);
    expect(people).toHaveLength(3);
    // "update" adds what the rows bring: the second Ana row's tag.
    expect(people.find((p) => p.displayName === 'Ana Lima')?.tags).toEqual(['vip', 'early']);
    const orgs = await t.database.db.selectFrom('organizations').select('name').execute();
    expect(orgs.map((o) => o.name).sort()).toEqual(['Acme', 'Globex']);
    // A third run with update changes nothing: every row is skipped as unchanged.
    const unchanged = await importFile(t, admin.client, file, { onMatch: 'update' });
    expect(unchanged).toMatchObject({ updated: 0, skipped: 4 });
    expect(unchanged.errors[0].message).toBe('Skipped: Ana Lima already has everything this row holds.');
  });

  it('lists the first skipped rows, then counts them, and shows failed rows first', async () => {
    const rows = Array.from(
      { length: maxSkipNotices + 50 },
      (_, index) => `Rep,Eat,rep${index % 2}@example.com`,
    );
    const content = ['First Name,Last Name,Email', ...rows, 'Bad,Row,not-an-email'].join('\n');
    const report = await importFile(t, admin.client, { name: 'repeats.csv', content });
    expect(report).toMatchObject({ created: 2, skipped: maxSkipNotices + 48, failed: 1 });
    expect(report.errors[0]).toMatchObject({ severity: 'error', row: maxSkipNotices + 52 });
    expect(report.errors[1]).toEqual({
      row: 4,
      severity: 'warning',
      message: 'Skipped: the same email as row 2.',
    });
    const stored = await t.database.db
      .selectFrom('import_errors')
      .select(['row', 'message'])
      .where('import_id', '=', report.id)
      .where('severity', '=', 'warning')
      .orderBy('row')
      .execute();
    expect(stored).toHaveLength(maxSkipNotices);
    expect(stored.at(-1)?.message).toMatch(
      /^Skipped\. From this row on, skipped rows are counted, not listed/,
    );
  });

  it('update replaces the fields a row gives and keeps the others', async () => {
    const report = await importFile(
      t,
      admin.client,
      {
        name: 'titles.csv',
        content: 'email,job title,phone\nana@example.com,CEO,+44 20 7946 0958\n',
      },
      { onMatch: 'update' },
    );
    expect(report).toMatchObject({ updated: 1, created: 0 });
    const ana = (await peopleOf(admin.client, '&q=ana%40example.com'))[0];
    expect(ana).toMatchObject({ jobTitle: 'CEO', givenName: 'Ana', tags: ['vip', 'early'] });
    expect(ana.phones.map((p: { e164: string }) => p.e164)).toEqual(['+442079460958']);
  });

  it('create makes new people even when they match', async () => {
    const report = await importFile(
      t,
      admin.client,
      { name: 'c.csv', content: 'name,email\nCy Dee,cy@example.com\n' },
      { onMatch: 'create' },
    );
    expect(report).toMatchObject({ created: 1 });
    const again = await importFile(
      t,
      admin.client,
      { name: 'c.csv', content: 'name,email\nCy Dee,cy@example.com\n' },
      { onMatch: 'create' },
    );
    expect(again).toMatchObject({ created: 1 });
    expect(await peopleOf(admin.client, '&q=cy%40example.com')).toHaveLength(2);
  });

  it('resumes after a crash without duplicating the committed rows', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `Person ${i},p${i}@resume.example`);
    const created = await upload(
      t,
      admin.client,
      '/api/v1/imports',
      {},
      {
        name: 'big.csv',
        content: `name,email\n${rows.join('\n')}\n`,
      },
    );
    expect(created.status).toBe(202);
    const id = created.body.id;
    // The node dies right after the second batch (rows 2..21) committed.
    const crash = (lastRow: number) => {
      if (lastRow >= 21) throw new Error('node stopped');
    };
    await expect(runImport(t.deps, id, { batchSize: 10, afterBatch: crash })).rejects.toThrow('node stopped');
    expect((await admin.client.get(`/api/v1/imports/${id}`)).body).toMatchObject({
      status: 'running',
      processed: 20,
    });
    await runImport(t.deps, id, { batchSize: 10 });
    const report = (await admin.client.get(`/api/v1/imports/${id}`)).body;
    expect(report).toMatchObject({
      status: 'done',
      total: 25,
      created: 25,
      skipped: 0,
      failed: 0,
      progress: 1,
    });
    const count = await t.database.db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('search_text', 'like', '%resume.example%')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(25);
    expect(
      await t.database.db.selectFrom('import_files').select('seq').where('import_id', '=', id).execute(),
    ).toEqual([]);
    await drainJobs(t.deps); // the queued job finds the import done and does nothing
    expect((await admin.client.get(`/api/v1/imports/${id}`)).body.created).toBe(25);
  });

  it('audits each batch and the whole import', async () => {
    const actions = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('action', 'in', ['import.queued', 'import.batch', 'import.finished'])
      .execute();
    const batch = actions.find((a) => a.action === 'import.batch');
    expect(batch?.after).toMatchObject({ created: 3, createdIds: expect.any(Array) });
    expect(actions.filter((a) => a.action === 'import.finished').length).toBeGreaterThan(3);
  });
});

describe('access', () => {
  it('agents and executives cannot import (403); another workspace sees 404', async () => {
    for (const role of ['agent', 'executive'] as const) {
      const user = await signedInUser(t, role, admin.workspaceId);
      const refused = await upload(t, user.client, '/api/v1/imports', {}, file);
      expect(refused.status).toBe(403);
      expect((await user.client.get('/api/v1/imports')).status).toBe(403);
    }
    const list = await admin.client.get('/api/v1/imports?limit=2');
    expect(list.body.data).toHaveLength(2);
    expect(list.body.next).toBeTruthy();
    const next = await admin.client.get(`/api/v1/imports?limit=2&after=${list.body.next}`);
    expect(next.body.data[0].id < list.body.data[1].id).toBe(true);

    const other = await signedInUser(t, 'admin');
    const id = list.body.data[0].id;
    expect((await other.client.get(`/api/v1/imports/${id}`)).status).toBe(404);
    expect((await other.client.get(`/api/v1/imports/${id}/errors.csv`)).status).toBe(404);
    expect((await other.client.get('/api/v1/imports')).body.data).toEqual([]);
  });

  it('refuses a bad mapping or policy with a message naming the field', async () => {
    const badJson = await upload(t, admin.client, '/api/v1/imports', { mapping: '{nope' }, file);
    expect(badJson.status).toBe(400);
    expect(badJson.body.errors[0].path).toBe('body.mapping');
    const badTarget = await upload(t, admin.client, '/api/v1/imports', { mapping: '["shoeSize"]' }, file);
    expect(badTarget.status).toBe(400);
    const unknownHeader = await upload(
      t,
      admin.client,
      '/api/v1/imports',
      { mapping: '{"Nope":"email"}' },
      file,
    );
    expect(unknownHeader.status).toBe(422);
    expect(unknownHeader.body.detail).toMatch(/Nope: is not a column/);
    const badPolicy = await upload(t, admin.client, '/api/v1/imports', { onMatch: 'merge' }, file);
    expect(badPolicy.status).toBe(400);
    expect(badPolicy.body.errors[0].path).toBe('body.onMatch');
  });

  it('follows an explicit mapping', async () => {
    const report = await importFile(
      t,
      admin.client,
      { name: 'm.csv', content: 'col1;col2;col3\nZed;zed@map.example;partner\n' },
      { mapping: JSON.stringify(['givenName', 'email:work', 'stage']) },
    );
    expect(report).toMatchObject({ created: 1, failed: 0 });
    const zed = (await peopleOf(admin.client, '&q=zed%40map.example'))[0];
    expect(zed).toMatchObject({ givenName: 'Zed', stage: 'partner', emails: [{ label: 'work' }] });
  });
});
