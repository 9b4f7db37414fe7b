import type { Role } from '../../shared/roles.ts';
import type { Actor, AuditContext } from '../audit.ts';
import type { CustomerAuth } from '../auth/portal-sessions.ts';
import type { Config } from '../config.ts';
import type { Database, Db } from '../db/database.ts';

/** What the server hands every request: the database and the validated configuration. */
export interface AppDeps {
  database: Database;
  db: Db;
  config: Config;
  /** The time; tests replace it to move SLA clocks without waiting. */
  clock?: () => Date;
}

/** The current time as the app sees it (deps.clock in tests, else the system clock). */
export function nowOf(deps: AppDeps): Date {
  return deps.clock ? deps.clock() : new Date();
}

export interface Auth {
  userId: string;
  workspaceId: string;
  role: Role;
  via: 'session' | 'token';
  sessionId: string | null;
  tokenId: string | null;
  csrfToken: string | null;
}

export interface RequestContext {
  deps: AppDeps;
  /** The staff caller; always null on portal routes. */
  auth: Auth | null;
  /** The signed-in portal customer; always null on staff routes. */
  customer: CustomerAuth | null;
  requestId: string;
  ip: string;
  userAgent: string | null;
  /** Scheme and host the request was addressed to, e.g. http://localhost:3000. */
  origin: string;
}

export function actorOf(auth: Auth | null): Actor {
  if (!auth) return { type: 'anonymous', id: null, userId: null };
  return auth.via === 'token'
    ? { type: 'token', id: auth.tokenId!, userId: auth.userId }
    : { type: 'user', id: auth.userId, userId: auth.userId };
}

export function auditContext(ctx: RequestContext, workspaceId = ctx.auth?.workspaceId ?? null): AuditContext {
  return { actor: actorOf(ctx.auth), workspaceId, requestId: ctx.requestId };
}

/** The audit context of a portal customer's write; pass the person id once they have a record. */
export function customerAuditContext(
  ctx: RequestContext,
  customer: CustomerAuth,
  personId = customer.personId,
): AuditContext {
  return {
    actor: { type: 'customer', id: personId, userId: null },
    workspaceId: customer.workspaceId,
    requestId: ctx.requestId,
  };
}

/** The signed-in customer on a portal route that requires one. */
export function requireCustomer(ctx: RequestContext): CustomerAuth {
  if (!ctx.customer) throw new Error('requireCustomer on a route without a portal session');
  return ctx.customer;
}

/** The caller's identity on a route that requires authentication. */
export function requireAuth(ctx: RequestContext): Auth {
  if (!ctx.auth) throw new Error('requireAuth on a public route');
  return ctx.auth;
}
