/** The benchmarked server (a child process) and the load generator (autocannon). */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('../', import.meta.url));

export interface Server {
  child: ChildProcess;
  base: string;
}

export function startServer(env: Record<string, string>, port: number): Server {
  const child = spawn(process.execPath, [join(root, 'bin/rapport.mjs'), 'serve', '--no-build'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

export async function waitForOk(server: Server, timeoutMs = 300_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (server.child.exitCode !== null)
      throw new Error(`The server exited with code ${server.child.exitCode}`);
    try {
      if ((await fetch(`${server.base}/api/health`)).status === 200) return performance.now() - started;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${server.base}/api/health did not answer 200 within ${timeoutMs} ms`);
}

export async function stopServer(server: Server) {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

export interface LoadSpec {
  name: string;
  /** Paths cycled through, one per request. */
  paths: string[];
  method?: 'GET' | 'POST';
  /** Bodies cycled through (POST). */
  bodies?: string[];
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
}

export interface LoadFigures {
  name: string;
  example: string;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  non2xx: number;
  errors: number;
}

const round = (value: number) => Math.round(value * 100) / 100;

export async function load(server: Server, spec: LoadSpec): Promise<LoadFigures> {
  const latencies: number[] = [];
  let next = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.base,
        connections: spec.connections,
        duration: spec.seconds,
        requests: [
          {
            method: spec.method ?? 'GET',
            headers: { ...(spec.bodies ? { 'content-type': 'application/json' } : {}), ...spec.headers },
            setupRequest: (request) => {
              const index = next++;
              request.path = spec.paths[index % spec.paths.length]!;
              if (spec.bodies) request.body = spec.bodies[index % spec.bodies.length]!;
              return request;
            },
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    name: spec.name,
    example: spec.paths[0]!,
    connections: spec.connections,
    requests: latencies.length,
    requestsPerSecond: Math.round(latencies.length / spec.seconds),
    latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(latencies.at(-1) ?? 0) },
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** A JSON request with the bench token; throws with the body when the status is not expected. */
export async function api<T>(
  server: Server,
  token: string,
  path: string,
  init: RequestInit = {},
): Promise<T> {
  const response = await fetch(`${server.base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Creates the workspace and an API token through the API (first start also migrates). */
export async function setUp(server: Server) {
  const setup = await fetch(`${server.base}/api/v1/setup`, {
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
  const created = await fetch(`${server.base}/api/v1/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: 'bench' }),
  });
  return ((await created.json()) as { token: string }).token;
}
