import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { can, type Permission, permissions } from '../../src/shared/permissions.ts';
import { roles } from '../../src/shared/roles.ts';
import { createUser, createWorkspace, signIn } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';
import { portalCustomer } from './helpers/portal.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
interface Operation {
  method: Method;
  path: string;
  summary?: string;
  permission: string;
  hasBody: boolean;
  responses: Record<string, unknown>;
}

let t: TestApp;
let doc: { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>> };
let operations: Operation[];

beforeAll(async () => {
  t = await createTestApp();
  const response = await t.client().get('/api/openapi.json');
  expect(response.status).toBe(200);
  doc = response.body;
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase() as Method,
      path,
      summary: operation.summary as string | undefined,
      permission: operation['x-permission'] as string,
      hasBody: 'requestBody' in operation,
      responses: operation.responses as Record<string, unknown>,
    })),
  );
});
afterAll(() => t.close());

/** A concrete URL for a documented path: ids get a random UUID, invite tokens a well-formed dummy. */
function urlOf(path: string): string {
  return path.replace(/\{([A-Za-z]+)\}/g, (_match, name: string) =>
    name === 'token' ? 'x'.repeat(43) : newId(),
  );
}

function call(client: Client, operation: Operation) {
  return client.request(operation.method, urlOf(operation.path), operation.hasBody ? {} : undefined);
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and documents the API', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/me',
        '/api/v1/users',
        '/api/v1/users/{id}',
        '/api/v1/tokens',
        '/api/v1/audit',
      ]),
    );
    expect(operations.length).toBeGreaterThan(15);
  });

  it('gives every operation a summary and a known permission', () => {
    for (const operation of operations) {
      const name = `${operation.method} ${operation.path}`;
      expect(operation.summary?.trim().length, name).toBeGreaterThan(5);
      expect(['public', 'customer', ...Object.keys(permissions)], name).toContain(operation.permission);
      if (operation.permission !== 'public') expect(Object.keys(operation.responses), name).toContain('401');
    }
  });

  it('documents only routes that the server really has', () => {
    for (const operation of operations) {
      const url = operation.path.replace(/\{([A-Za-z]+)\}/g, ':$1');
      expect(t.app.hasRoute({ method: operation.method, url }), `${operation.method} ${url}`).toBe(true);
    }
  });

  it('is served as a readable HTML page listing every route', async () => {
    const response = await t.client().get('/api/docs');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    const html = String(response.body);
    expect(html).toContain('<title>Rapport API reference</title>');
    expect(html).not.toContain('<script');
    for (const operation of operations) {
      expect(html, operation.path).toContain(`<code>${operation.path}</code>`);
      expect(html).toContain(`id="${operation.method.toLowerCase()}-${operation.path}"`);
    }
  });
});

describe('every operation, generated from the document', () => {
  it('answers 401 without credentials unless it is public', async () => {
    const protectedOps = operations.filter((operation) => operation.permission !== 'public');
    expect(protectedOps.length).toBeGreaterThan(10);
    for (const operation of protectedOps) {
      const response = await call(t.client(), operation);
      const name = `${operation.method} ${operation.path}`;
      expect(response.status, name).toBe(401);
      expect(response.headers['content-type'], name).toContain('application/problem+json');
      expect(response.body.code, name).toBe('unauthenticated');
    }
  });

  it('answers public operations without asking for credentials', async () => {
    const publicOps = operations.filter((operation) => operation.permission === 'public');
    expect(publicOps.map((op) => op.path)).toEqual(
      expect.arrayContaining(['/api/health', '/api/v1/auth/login', '/api/v1/invites/{token}']),
    );
    for (const operation of publicOps) {
      const response = await call(t.client(), operation);
      const name = `${operation.method} ${operation.path}`;
      expect(response.status, name).not.toBe(401);
      expect(response.status, name).toBeLessThan(500);
    }
  });

  it('lets a signed-in portal customer through every customer operation, and never into staff ones', async () => {
    const { client: customer } = await portalCustomer(
      t,
      (await createWorkspace(t.database.db)).id,
      'op@example.com',
    );
    // Signing out goes last: it ends the session the other calls use.
    const last = (op: Operation) => (op.path.endsWith('/sign-out') ? 1 : 0);
    const ordered = operations.filter((op) => op.permission !== 'public').sort((a, b) => last(a) - last(b));
    for (const operation of ordered) {
      const response = await call(customer, operation);
      const name = `customer ${operation.method} ${operation.path}`;
      expect(response.status, name).toBeLessThan(500);
      if (operation.permission === 'customer') expect(response.status, name).not.toBe(401);
      else expect(response.status, name).toBe(401);
    }
  });

  it('lets each role through exactly when the permission table allows it', async () => {
    const workspace = await createWorkspace(t.database.db);
    const clients = new Map<string, Client>();
    for (const role of roles) {
      const user = await createUser(t.database.db, workspace.id, { role });
      const client = t.client();
      await signIn(client, user.email);
      const token = await client.post('/api/v1/tokens', { name: `openapi ${role}` });
      const bearer = t.client();
      bearer.bearer = token.body.token;
      clients.set(role, bearer);
    }
    // Calls carry random ids and empty bodies, so allowed ones end in 400/404, never in a write.
    for (const operation of operations.filter((op) => op.permission !== 'public')) {
      for (const role of roles) {
        const response = await call(clients.get(role)!, operation);
        const name = `${role} ${operation.method} ${operation.path}`;
        expect(response.status, name).toBeLessThan(500);
        if (operation.permission === 'customer') {
          // Portal routes accept no staff credentials at all.
          expect(response.status, name).toBe(401);
          continue;
        }
        expect(response.status, name).not.toBe(401);
        if (can(role, operation.permission as Permission)) expect(response.status, name).not.toBe(403);
        else expect(response.status, name).toBe(403);
      }
    }
  });
});
