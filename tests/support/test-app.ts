// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are checked field by field in tests; `any` keeps them readable.
import type { FastifyInstance, InjectOptions } from 'fastify';
import { type Config, loadConfig } from '../../src/platform/config.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { AppDeps } from '../../src/platform/http/context.ts';
import { buildServer } from '../../src/platform/http/server.ts';
import { openTestDatabase } from './test-database.ts';

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

/**
 * An HTTP client over Fastify's inject (the full request pipeline, no socket). It keeps the
 * session cookie and sends the CSRF token on writes, like the web app does.
 */
export class Client {
  /** The staff session cookie ("rapport_session=…"). */
  cookie: string | undefined;
  /** The portal session cookie ("rapport_portal=…"), kept apart like a browser scoping it to /portal. */
  portalCookie: string | undefined;
  csrfToken: string | undefined;
  bearer: string | undefined;
  ip = '127.0.0.1';

  constructor(private readonly app: FastifyInstance) {}

  async request<T = any>(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response<T>> {
    const response = await this.app.inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: {
        ...(this.cookie || this.portalCookie
          ? { cookie: [this.cookie, this.portalCookie].filter(Boolean).join('; ') }
          : {}),
        ...(this.csrfToken && method !== 'GET' ? { 'x-csrf-token': this.csrfToken } : {}),
        ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const setCookie = response.cookies.find((cookie) => cookie.name === 'rapport_session');
    if (setCookie) this.cookie = setCookie.value ? `rapport_session=${setCookie.value}` : undefined;
    const setPortal = response.cookies.find((cookie) => cookie.name === 'rapport_portal');
    if (setPortal) this.portalCookie = setPortal.value ? `rapport_portal=${setPortal.value}` : undefined;
    const text = response.body;
    let parsed: unknown = text;
    if (String(response.headers['content-type'] ?? '').includes('json') && text) parsed = JSON.parse(text);
    if (
      parsed &&
      typeof parsed === 'object' &&
      'csrfToken' in parsed &&
      typeof parsed.csrfToken === 'string'
    ) {
      this.csrfToken = parsed.csrfToken;
    }
    return { status: response.statusCode, body: parsed as T, headers: response.headers };
  }

  get<T = any>(url: string, headers?: Record<string, string>) {
    return this.request<T>('GET', url, undefined, headers);
  }
  post<T = any>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', url, body, headers);
  }
  put<T = any>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PUT', url, body, headers);
  }
  patch<T = any>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PATCH', url, body, headers);
  }
  delete<T = any>(url: string, headers?: Record<string, string>) {
    return this.request<T>('DELETE', url, undefined, headers);
  }
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  deps: AppDeps;
  config: Config;
  client(): Client;
  close(): Promise<void>;
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  const config = loadConfig({ RAPPORT_DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent', ...env });
  const deps: AppDeps = { database, db: database.db, config };
  const app = await buildServer(deps, { logger: false, serveWeb: false });
  await app.ready();
  return {
    app,
    database,
    deps,
    config,
    client: () => new Client(app),
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
