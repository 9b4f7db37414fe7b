/**
 * `npm run bench`: starts Rapport on a fresh embedded database and prints JSON figures.
 * Figures, not pass/fail: they are reported in issue notes and never fail CI.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('../', import.meta.url));
const port = 3900 + Math.floor(Math.random() * 90);
const base = `http://127.0.0.1:${port}`;
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 10);

function startServer(dataDir: string): ChildProcess {
  return spawn(process.execPath, [join(root, 'bin/rapport.mjs'), 'serve', '--no-build'], {
    env: {
      ...process.env,
      RAPPORT_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitForOk(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`The server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).status === 200) return performance.now() - started;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

async function stopServer(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function load(path: string, headers: Record<string, string> = {}) {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: `${base}${path}`, connections: 10, duration: durationSeconds, headers },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(2));
  return {
    path,
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99) },
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'rapport-bench-'));
  try {
    // First start: creates the database, applies migrations (and builds the web app if stale).
    let server = startServer(dataDir);
    await waitForOk(`${base}/api/health`, server);
    const setup = await fetch(`${base}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        workspaceName: 'Bench',
        name: 'Bench Admin',
        email: 'bench@example.com',
        password: 'bench-password-123',
      }),
    });
    const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await setup.json()) as { csrfToken: string };
    const created = await fetch(`${base}/api/v1/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'bench' }),
    });
    const { token } = (await created.json()) as { token: string };
    await stopServer(server);

    // Cold start with the existing embedded database: process start to first 200.
    server = startServer(dataDir);
    const coldStartMs = Math.round(await waitForOk(`${base}/api/health`, server));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssAfterStartMb = rssMb(server.pid!);

    const health = await load('/api/health');
    const me = await load('/api/v1/me', { authorization: `Bearer ${token}` });
    const rssAfterLoadMb = rssMb(server.pid!);
    await stopServer(server);

    console.log(
      JSON.stringify(
        {
          database: 'pglite',
          node: process.version,
          coldStartMs,
          rssAfterStartMb,
          rssAfterLoadMb,
          connections: 10,
          durationSeconds,
          endpoints: [health, me],
        },
        null,
        2,
      ),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
