import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsCommand } from '../../src/cli/metrics-command.ts';
import { newId } from '../../src/platform/ids.ts';
import { createWorkspace } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let ws: string;
const now = new Date('2026-06-17T12:00:00Z'); // a Wednesday

async function resolved(at: string, firstContact: boolean, kind = 'question') {
  await t.database.db
    .insertInto('items')
    .values({
      id: newId(),
      workspace_id: ws,
      kind: kind as 'question',
      channel: 'email',
      subject: 'planted',
      reply_token: newId().replaceAll('-', ''),
      status: 'resolved',
      created_at: '2026-02-01T00:00:00Z',
      resolved_at: at,
      staff_reply_count: firstContact ? 1 : 3,
    })
    .execute();
}

const run = (args: string[], options: Record<string, string | boolean | undefined> = {}) =>
  metricsCommand(t.database.db, args, options, now);

async function failure(args: string[], options: Record<string, string> = {}): Promise<string> {
  try {
    await run(args, options);
  } catch (error) {
    expect((error as Error).name).toBe('CliError');
    return (error as Error).message;
  }
  throw new Error('should have failed');
}

beforeAll(async () => {
  t = await createTestApp();
  ws = (await createWorkspace(t.database.db, 'Acme')).id;
  // Week of 1 June: 2 resolved, 1 at first contact (50%); week of 8 June: 1 of 1 (100%).
  await resolved('2026-06-02T10:00:00Z', true);
  await resolved('2026-06-03T10:00:00Z', false);
  await resolved('2026-06-09T10:00:00Z', true);
  // A complaint, for the --kind filter: week of 8 June, not at first contact.
  await resolved('2026-06-10T10:00:00Z', false, 'complaint');
});
afterAll(() => t.close());

describe('rapport metrics', () => {
  it('without a name lists the catalogue', async () => {
    const text = await run([]);
    expect(text).toMatch(/^name\s+unit\s+better\s+label/);
    expect(text).toMatch(/first_contact_resolution\s+percent\s+up\s+First-contact resolution/);
    const json = JSON.parse(await run([], { format: 'json' }));
    expect(json.find((m: { name: string }) => m.name === 'first_contact_resolution')).toMatchObject({
      unit: 'percent',
      better: 'up',
    });
  });

  it('defaults to the last 12 weeks, weekly, in the only workspace, as a table', async () => {
    const text = await run(['first_contact_resolution']);
    expect(text).toContain('First-contact resolution (first_contact_resolution, percent, better up)');
    expect(text).toContain('2026-03-30 – 2026-06-17 by week, UTC');
    const lines = text.trim().split('\n');
    expect(lines.filter((line) => /^\d{4}-\d{2}-\d{2}/.test(line))).toHaveLength(12);
    expect(text).toMatch(/2026-06-01\s+50\s+1\s+2/);
    expect(text).toMatch(/2026-06-08\s+50\s+1\s+2/);
    expect(text).toMatch(/2026-03-30\s+no data\s+0\s+0/);
    expect(lines.at(-1)).toMatch(/^total\s+50\s+2\s+4$/);
  });

  it('prints CSV and JSON for a chosen period, interval and filter', async () => {
    const csv = await run(['first_contact_resolution'], {
      from: '2026-06-01',
      to: '2026-06-14',
      format: 'csv',
      kind: 'question',
      workspace: ws,
    });
    expect(csv).toBe(
      'start,value,numerator,denominator\n2026-06-01,50,1,2\n2026-06-08,100,1,1\ntotal,66.67,2,3\n',
    );
    const json = JSON.parse(
      await run(['first_contact_resolution'], {
        from: '2026-06-01',
        to: '2026-06-30',
        interval: 'month',
        format: 'json',
        workspace: 'Acme',
      }),
    );
    expect(json.series).toEqual([{ start: '2026-06-01', value: 50, numerator: 2, denominator: 4 }]);
  });

  it('says what to fix: unknown metric, bad dates, bad interval or format, unknown workspace', async () => {
    expect(await failure(['happiness'])).toMatch(/There is no metric "happiness".*first_contact_resolution/);
    expect(await failure(['first_contact_resolution'], { from: '2026-13-01' })).toMatch(
      /--from: must be a date such as 2026-01-31/,
    );
    expect(await failure(['first_contact_resolution'], { from: '2026-06-10', to: '2026-06-01' })).toMatch(
      /--to: must be on or after `from`/,
    );
    expect(await failure(['first_contact_resolution'], { interval: 'year' })).toMatch(/--interval/);
    expect(await failure(['first_contact_resolution'], { format: 'xml' })).toMatch(
      /--format must be one of table, csv, json/,
    );
    expect(await failure(['first_contact_resolution'], { kind: 'rant' })).toMatch(/--kind/);
    expect(await failure(['first_contact_resolution'], { workspace: 'Nope' })).toMatch(/No workspace "Nope"/);
    await createWorkspace(t.database.db, 'Second');
    expect(await failure(['first_contact_resolution'])).toMatch(
      /several workspaces; choose one with --workspace/,
    );
  });
});

describe('rapport metrics as a command', () => {
  const bin = join(import.meta.dirname, '../../bin/rapport.mjs');
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'rapport-metrics-'));
    const { DATABASE_URL: _ignored, ...rest } = process.env;
    env = { ...rest, RAPPORT_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints a metric and fails with a clear message on an unknown one', async () => {
    const exec = promisify(execFile);
    const rapport = (...args: string[]) => exec(process.execPath, [bin, ...args], { env, timeout: 90_000 });
    await rapport(
      'setup',
      '--workspace',
      'Acme',
      '--email',
      'a@example.com',
      '--name',
      'A',
      '--password',
      'correct horse battery',
    );
    const { stdout } = await rapport(
      'metrics',
      'first_contact_resolution',
      '--from',
      '2026-06-01',
      '--to',
      '2026-06-14',
      '--format',
      'csv',
    );
    expect(stdout).toBe('start,value,numerator,denominator\n2026-06-01,,0,0\n2026-06-08,,0,0\ntotal,,0,0\n');
    const failed = await rapport('metrics', 'happiness').then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/^There is no metric "happiness"/);
  }, 120_000);
});
