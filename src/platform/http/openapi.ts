import { z } from 'zod';
import { problem } from '../../shared/common.ts';
import type { Route } from './route.ts';

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = schemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** OpenAPI 3.1, generated from the same route definitions and zod schemas the server validates with. */
export function buildOpenApi(
  routes: Route[],
  extraPublic: { method: string; url: string; summary: string }[],
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const extra of extraPublic) {
    paths[extra.url] = {
      ...paths[extra.url],
      [extra.method.toLowerCase()]: {
        summary: extra.summary,
        tags: ['platform'],
        security: [],
        'x-permission': 'public',
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const status = String(route.status ?? 200);
    const isPublic = route.permission === 'public';
    const responses: Record<string, unknown> = {
      [status]:
        route.response === null || route.response === undefined
          ? { description: 'Done' }
          : {
              description: 'OK',
              content: { 'application/json': { schema: schemaOf(route.response, 'output') } },
            },
      '400': problemResponse('The input is not valid; `errors` says which field and why.'),
      ...(isPublic ? {} : { '401': problemResponse('Not signed in'), '403': problemResponse('Not allowed') }),
    };
    paths[path] = {
      ...paths[path],
      [route.method.toLowerCase()]: {
        summary: route.summary,
        ...(route.description ? { description: route.description } : {}),
        tags: [route.tag],
        'x-permission': route.permission,
        security: isPublic
          ? []
          : route.permission === 'customer'
            ? [{ portalCookie: [] }]
            : [{ bearerToken: [] }, { sessionCookie: [] }],
        parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
        ...(route.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: schemaOf(route.body, 'input') } },
              },
            }
          : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Rapport API',
      version: '1',
      description:
        'REST API of Rapport. Authenticate with `Authorization: Bearer <token>` (create tokens in Settings → API tokens) ' +
        'or with the session cookie plus the `X-CSRF-Token` header on writes. Errors are `application/problem+json` ' +
        'with a stable `code`. Lists use keyset pagination (`?after=<next>&limit=`). POST honours `Idempotency-Key`. ' +
        'The customer portal API lives under `/portal/api/v1` (tag `portal`): customers sign in with a link sent by ' +
        'email and the `rapport_portal` cookie; it accepts no staff session or token.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Problem: schemaOf(problem, 'output') },
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'rapport_session' },
        portalCookie: { type: 'apiKey', in: 'cookie', name: 'rapport_portal' },
      },
    },
  };
}
