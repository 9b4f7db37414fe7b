import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { can } from '../../shared/permissions.ts';
import { authenticatePortalSession, type CustomerAuth, portalCookie } from '../auth/portal-sessions.ts';
import { authenticateSession, authenticateToken, sessionCookie } from '../auth/sessions.ts';
import { AppError } from '../errors.ts';
import type { AppDeps, Auth, RequestContext } from './context.ts';
import { claimIdempotencyKey, releaseIdempotencyKey, storeIdempotentResponse } from './idempotency.ts';
import { validationError, zodErrors } from './problems.ts';
import type { Route } from './route.ts';

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function parse<T extends z.ZodType>(
  schema: T | undefined,
  value: unknown,
  part: string,
): z.output<T> | undefined {
  if (!schema) return undefined;
  const nul = pathWithNul(value, part);
  if (nul) throw validationError([{ path: nul, message: 'must not contain the NUL character (\\u0000).' }]);
  // reportInput lets zodErrors tell a missing field ("is required") from one of the wrong type.
  const result = schema.safeParse(value ?? (part === 'body' ? undefined : {}), { reportInput: true });
  if (!result.success) throw validationError(zodErrors(result.error, part));
  return result.data;
}

/** PostgreSQL text cannot hold NUL characters: find the first string that has one, to refuse it up front. */
function pathWithNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = pathWithNul(inner, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

/** Who is calling: a Bearer API token, or the session cookie. Null when neither is valid. */
export async function authenticate(deps: AppDeps, request: FastifyRequest): Promise<Auth | null> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError('unauthenticated', 'The Authorization header must be "Bearer <token>".');
    return authenticateToken(deps.db, match[1]!);
  }
  const cookie = request.cookies[sessionCookie];
  return cookie ? authenticateSession(deps.db, cookie) : null;
}

/**
 * Portal routes know only the portal cookie: a staff session or API token is refused outright,
 * so that staff credentials never act as a customer and a customer never reaches staff data.
 */
async function authenticateCustomer(
  deps: AppDeps,
  route: Route,
  request: FastifyRequest,
): Promise<CustomerAuth | null> {
  if (request.headers.authorization) {
    throw new AppError(
      'unauthenticated',
      'The portal does not accept API tokens; customers sign in with a link sent by email.',
    );
  }
  const cookie = request.cookies[portalCookie];
  const customer = cookie ? await authenticatePortalSession(deps.db, cookie) : null;
  if (route.permission === 'customer' && !customer) {
    throw new AppError('unauthenticated', 'Sign in to the portal first: ask for a sign-in link by email.');
  }
  if (
    customer &&
    unsafeMethods.has(request.method) &&
    request.headers['x-csrf-token'] !== customer.csrfToken
  ) {
    throw new AppError('csrf_failed', 'Missing or wrong X-CSRF-Token header. Reload the page and try again.');
  }
  return customer;
}

function checkAccess(route: Route, auth: Auth | null, request: FastifyRequest) {
  if (route.permission === 'public') return;
  if (route.permission === 'customer') throw new Error(`${route.url}: 'customer' is for portal routes`);
  if (!auth) {
    throw new AppError(
      'unauthenticated',
      'Sign in first, or send an API token as "Authorization: Bearer <token>".',
    );
  }
  if (!can(auth.role, route.permission)) {
    throw new AppError(
      'forbidden',
      `Your role (${auth.role}) may not do this (needs "${route.permission}").`,
    );
  }
  checkCsrf(auth, request);
}

/** Cookie sessions must send the session's CSRF token on writes; Bearer tokens are not ambient. */
export function checkCsrf(auth: Auth | null, request: FastifyRequest) {
  if (auth?.via !== 'session' || !unsafeMethods.has(request.method)) return;
  if (request.headers['x-csrf-token'] !== auth.csrfToken) {
    throw new AppError('csrf_failed', 'Missing or wrong X-CSRF-Token header. Reload the page and try again.');
  }
}

/**
 * Browsers send Origin on cross-site writes. Refusing foreign origins also protects the routes
 * that have no session yet (sign-in, setup, invite acceptance) from login CSRF.
 */
function checkOrigin(request: FastifyRequest) {
  const origin = request.headers.origin;
  if (!origin || !unsafeMethods.has(request.method) || request.headers.authorization) return;
  let host: string | null = null;
  let expected: string | undefined;
  try {
    host = new URL(origin).host;
    expected = new URL(`${request.protocol}://${request.host}`).host; // drops default ports like the Origin does
  } catch {}
  if (host !== expected) {
    throw new AppError(
      'csrf_failed',
      `Requests from ${origin} are not accepted; use Rapport from its own address.`,
    );
  }
}

export function registerRoutes(app: FastifyInstance, deps: AppDeps, routes: Route[]) {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      ...(route.compress === undefined ? {} : { compress: route.compress }),
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        checkOrigin(request);
        let auth: Auth | null = null;
        let customer: CustomerAuth | null = null;
        if (route.audience === 'portal') {
          if (route.permission !== 'public' && route.permission !== 'customer') {
            throw new Error(`${route.url}: portal routes are 'public' or 'customer'`);
          }
          if (route.permission === 'customer' || route.optionalAuth) {
            customer = await authenticateCustomer(deps, route, request);
          }
        } else {
          const needsAuth = route.permission !== 'public' || route.optionalAuth;
          auth = needsAuth ? await authenticate(deps, request) : null;
          checkAccess(route, auth, request);
          if (route.optionalAuth) checkCsrf(auth, request);
        }
        const params = parse(route.params, request.params, 'params');
        const query = parse(route.query, request.query, 'query');
        if (route.body && request.body === undefined && unsafeMethods.has(route.method)) {
          throw new AppError(
            'bad_request',
            'This request needs a JSON body (Content-Type: application/json).',
          );
        }
        const body = parse(route.body, request.body, 'body');
        const ctx: RequestContext = {
          deps,
          auth,
          customer,
          requestId: request.id,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
          origin: `${request.protocol}://${request.host}`,
        };
        const run = async () => {
          const result = await route.handler({ body, query, params, ctx, request, reply });
          return { status: route.status ?? 200, body: route.response === null ? undefined : result };
        };

        const key = request.headers['idempotency-key'];
        let response: { status: number; body: unknown };
        if (route.method === 'POST' && typeof key === 'string' && auth) {
          const claim = await claimIdempotencyKey(deps.db, {
            actorId: auth.userId,
            workspaceId: auth.workspaceId,
            key,
            method: route.method,
            url: request.url,
            body: request.body,
          });
          if (claim === 'claimed') {
            try {
              response = await run();
            } catch (error) {
              await releaseIdempotencyKey(deps.db, auth.userId, key);
              throw error;
            }
            await storeIdempotentResponse(deps.db, auth.userId, key, response);
          } else {
            reply.header('Idempotent-Replayed', 'true');
            response = claim;
          }
        } else {
          response = await run();
        }
        reply.status(response.status);
        return response.body === undefined ? reply.send() : response.body;
      },
    });
  }
}
