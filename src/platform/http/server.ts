import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { sql } from 'kysely';
import { pendingMigrations } from '../db/migrate.ts';
import { AppError } from '../errors.ts';
import { webDistDir } from '../paths.ts';
import type { AppDeps } from './context.ts';
import { renderDocsPage } from './docs-page.ts';
import { buildOpenApi } from './openapi.ts';
import { sendProblem, toAppError } from './problems.ts';
import { registerRoutes } from './register-routes.ts';
import { apiRoutes } from './routes-list.ts';
import { staticSecurityHeaders } from './security-headers.ts';

export const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // Mantine sets inline style attributes; scripts stay strictly same-origin.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

const requestIdPattern = /^[A-Za-z0-9._-]{1,100}$/;

export const publicPlatformPaths = [
  { method: 'GET', url: '/api/health', summary: 'Liveness: the process answers' },
  { method: 'GET', url: '/api/ready', summary: 'Readiness: database reachable and migrations applied' },
  { method: 'GET', url: '/api/openapi.json', summary: 'This OpenAPI 3.1 document' },
  { method: 'GET', url: '/api/docs', summary: 'Human-readable API reference' },
];

export async function buildServer(
  deps: AppDeps,
  options: { logger?: boolean; serveWeb?: boolean } = {},
): Promise<FastifyInstance> {
  const securityHeaders = staticSecurityHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy },
    crossOriginEmbedderPolicy: false,
    hsts: deps.config.PUBLIC_URL?.startsWith('https://') ? { maxAge: 15552000 } : false,
  });
  const app = Fastify({
    logger: options.logger ? { level: deps.config.LOG_LEVEL } : false,
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    trustProxy: deps.config.TRUST_PROXY,
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    },
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A URL the router cannot read answers before any hook runs: give it the headers and the
    // problem document of every other answer.
    frameworkErrors: (error, request, reply) => {
      for (const [name, value] of securityHeaders) reply.raw.setHeader(name, value);
      const message =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? 'A part of this address is too long (over 100 characters); ids are UUIDs.'
          : 'This address is not a valid URL: check its % escapes.';
      return sendProblem(request, reply, new AppError('bad_request', message));
    },
  });

  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of securityHeaders) reply.raw.setHeader(name, value);
    done();
  });
  await app.register(compress, { threshold: 1024 });
  await app.register(cookie);
  // Uploads (photos, imports) stream; each route passes its own tighter limits to request.file().
  await app.register(multipart, {
    limits: { fileSize: 1024 * 1024 * 1024, files: 1, fields: 20, fieldSize: 1024 * 1024, parts: 25 },
  });
  // The API speaks JSON only: other bodies get 415 rather than reaching validation as a string.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    if (request.url.startsWith('/api/') || request.url.startsWith('/portal/api/')) {
      reply.header('Cache-Control', 'no-store');
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const problem = toAppError(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(request, reply, problem);
  });

  const openApi = buildOpenApi(apiRoutes, publicPlatformPaths);
  const docsPage = renderDocsPage(openApi);
  app.get('/api/health', async () => ({ status: 'ok' }));
  app.get('/api/ready', async (_request, reply) => {
    try {
      await sql`select 1`.execute(deps.db);
      const pending = await pendingMigrations(deps.db);
      if (pending.length > 0) return reply.status(503).send({ status: 'migrations pending', pending });
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'database unreachable' });
    }
  });
  app.get('/api/openapi.json', async () => openApi);
  app.get('/api/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(docsPage));

  registerRoutes(app, deps, apiRoutes);

  const serveWeb = (options.serveWeb ?? true) && existsSync(`${webDistDir}/index.html`);
  if (serveWeb) {
    await app.register(fastifyStatic, {
      root: webDistDir,
      wildcard: false,
      index: false,
      // Hashed assets are immutable; index.html must be revalidated so a new build shows at once.
      setHeaders: (res, path) =>
        res.setHeader(
          'Cache-Control',
          path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
        ),
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/api/') || path === '/api' || path.startsWith('/portal/api/')) {
      return sendProblem(
        request,
        reply,
        new AppError('not_found', `There is no API route ${request.method} ${path}.`),
      );
    }
    if (serveWeb && (request.method === 'GET' || request.method === 'HEAD')) {
      // The web apps route on the client and show their own 404 pages. The portal is a separate,
      // much smaller app for customers.
      const page = path === '/portal' || path.startsWith('/portal/') ? 'portal.html' : 'index.html';
      return reply.header('Cache-Control', 'no-cache').sendFile(page);
    }
    return sendProblem(request, reply, new AppError('not_found', `Nothing at ${path}.`));
  });
  return app;
}
