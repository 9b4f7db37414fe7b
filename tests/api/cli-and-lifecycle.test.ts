import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// These tests run the real `rapport` command in child processes on an embedded database.
const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../bin/rapport.mjs');
let dataDir: string;
let env: NodeJS.ProcessEnv;
const port = 3700 + Math.floor(Math.random() * 200);
const base = `http://127.0.0.1:${port}`;

function rapport(...args: string[]) {
  return run(process.execPath, [bin, ...args], { env, timeout: 60_000 });
}

async function failure(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await rapport(...args);
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
  throw new Error(`rapport ${args.join(' ')} should have failed`);
}

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--no-build'], { env, stdio: 'ignore' });
  for (let i = 0; i < 600; i += 1) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`${base}/api/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not become ready');
}

async function stop(child: ChildProcess, signal: NodeJS.Signals) {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  return exited;
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'rapport-cli-'));
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  env = { ...rest, RAPPORT_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('rapport CLI on an embedded database', () => {
  it('stops with a clear message on a bad configuration value', async () => {
    const { code, stderr } = await run(process.execPath, [bin, 'migrate'], {
      env: { ...env, PORT: 'eighty' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(code).toBe(1);
    expect(stderr).toContain('PORT="eighty"');
  });

  it('sets up the first admin, refuses a second setup and a weak password', async () => {
    const weak = await failure(
      'setup',
      '--workspace',
      'Acme',
      '--email',
      'a@example.com',
      '--name',
      'Ana',
      '--password',
      'short',
    );
    expect(weak.stderr).toContain('--password');
    const { stdout } = await rapport(
      'setup',
      '--workspace',
      'Acme',
      '--email',
      'ana@example.com',
      '--name',
      'Ana',
      '--password',
      'cli-password-2026',
    );
    expect(stdout).toContain('Created workspace "Acme"');
    const again = await failure(
      'setup',
      '--workspace',
      'B',
      '--email',
      'b@example.com',
      '--name',
      'B',
      '--password',
      'cli-password-2026',
    );
    expect(again.stderr).toContain('already set up');
  });

  it('creates an API token that works against the running server, which survives SIGTERM and SIGINT', async () => {
    const { stdout } = await rapport('token', 'create', '--email', 'ana@example.com', '--name', 'ci');
    const token = stdout.trim();
    expect(token).toMatch(/^rpt_/);

    let server = await startServer();
    const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe('ana@example.com');

    // A second process may not open the same embedded database.
    const locked = await failure('migrate');
    expect(locked.stderr).toMatch(/Another Rapport process \(pid \d+\) is using the embedded database/);

    // Create data, stop with SIGTERM while requests are in flight, restart: the data is intact.
    const inFlight = Array.from({ length: 20 }, (_, i) =>
      fetch(`${base}/api/v1/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `t${i}` }),
      }).then(
        (r) => r.status,
        () => 0,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await stop(server, 'SIGTERM')).toBe(0);
    const statuses = await Promise.all(inFlight);
    const created = statuses.filter((status) => status === 201).length;

    server = await startServer();
    const list = await fetch(`${base}/api/v1/tokens`, { headers: { authorization: `Bearer ${token}` } });
    const items = ((await list.json()) as { data: unknown[] }).data;
    // Every request answered 201 was kept; the token made by the CLI is there too.
    expect(items.length).toBeGreaterThanOrEqual(created + 1);
    expect(await stop(server, 'SIGINT')).toBe(0);
  });

  it('backs up and restores into a fresh data dir', async () => {
    const file = join(dataDir, 'backup.gz');
    const { stdout } = await rapport('backup', file);
    expect(stdout).toMatch(/Wrote \d+ rows/);
    const refused = await failure('restore', file);
    expect(refused.stderr).toContain('already has data');

    const otherDir = mkdtempSync(join(tmpdir(), 'rapport-restore-'));
    try {
      const restored = await run(process.execPath, [bin, 'restore', file], {
        env: { ...env, RAPPORT_DATA_DIR: otherDir },
      });
      expect(restored.stdout).toMatch(/Restored \d+ rows/);
      const token = await run(process.execPath, [bin, 'token', 'create', '--email', 'ana@example.com'], {
        env: { ...env, RAPPORT_DATA_DIR: otherDir },
      });
      expect(token.stdout.trim()).toMatch(/^rpt_/);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
