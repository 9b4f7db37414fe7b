import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { z } from 'zod';
import type { Permission } from '../../shared/permissions.ts';
import type { RequestContext } from './context.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface HandlerInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  ctx: RequestContext;
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * One route: its validation schemas (shared with the web app and the CLI), the permission it
 * needs, and its handler. The same definition registers the route and documents it in OpenAPI.
 */
export interface Route<
  B extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  P extends z.ZodType = z.ZodType,
> {
  method: Method;
  url: string;
  /**
   * What the caller needs: a staff permission, 'public', or (portal routes only) 'customer', a
   * signed-in portal customer.
   */
  permission: Permission | 'public' | 'customer';
  /** 'portal' routes authenticate with the portal cookie only, never with staff credentials. */
  audience?: 'staff' | 'portal';
  summary: string;
  description?: string;
  tag: string;
  body?: B;
  query?: Q;
  params?: P;
  /** Success status and response schema; a `null` schema means no body (204). */
  status?: number;
  response?: z.ZodType | null;
  /** Public routes that still read the caller's session (or portal session) when present. */
  optionalAuth?: boolean;
  /** The response compression of this route, when the server's defaults do not suit it (@fastify/compress). */
  compress?: RouteOptions['compress'];
  handler(input: HandlerInput<z.output<B>, z.output<Q>, z.output<P>>): Promise<unknown>;
}

export function defineRoute<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(
  route: Route<B, Q, P>,
): Route {
  return route as unknown as Route;
}
