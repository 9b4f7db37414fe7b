import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type Response, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
/** Every response of this file, to prove that none of these inputs ever caused a 500. */
const seen: { what: string; status: number }[] = [];

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

function record<T>(what: string, response: Response<T>): Response<T> {
  seen.push({ what, status: response.status });
  return response;
}

function expectProblem(response: Response, status: number, code?: string) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, detail: expect.any(String), requestId: expect.any(String) });
  if (code) expect(response.body.code).toBe(code);
}

async function tokenCount(client: Client, name: string) {
  const list = await client.get('/api/v1/tokens');
  return list.body.data.filter((item: { name: string }) => item.name === name).length;
}

describe('bad input gets a 4xx that says what to fix', () => {
  it('refuses malformed JSON', async () => {
    const response = record('malformed json', await admin.client.post('/api/v1/tokens', '{"name": "x",'));
    expectProblem(response, 400, 'bad_request');
    expect(response.body.detail).toContain('not valid JSON');
  });

  it('refuses an empty JSON body, a missing body and a wrong content type', async () => {
    const empty = record('empty', await admin.client.post('/api/v1/tokens', ''));
    expectProblem(empty, 400);
    const missing = record('missing', await admin.client.post('/api/v1/tokens'));
    expectProblem(missing, 400);
    expect(missing.body.detail).toContain('JSON body');
    const text = record(
      'text/plain',
      await admin.client.request('POST', '/api/v1/tokens', 'name=x', { 'content-type': 'text/plain' }),
    );
    expectProblem(text, 415, 'unsupported_media_type');
  });

  it('names each field with a wrong type', async () => {
    const response = record(
      'types',
      await admin.client.post('/api/v1/users', { email: 5, name: ['x'], role: 'agent' }),
    );
    expectProblem(response, 400, 'validation_failed');
    const paths = response.body.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.name']));
    expect(paths).not.toContain('body.role');
    const email = response.body.errors.find((error: { path: string }) => error.path === 'body.email');
    expect(email.message).toContain('expected string, received number');
    const missing = record(
      'missing field',
      await admin.client.post('/api/v1/users', { name: 'x', role: 'agent' }),
    );
    expect(missing.body.errors).toEqual([{ path: 'body.email', message: 'is required.' }]);
  });

  it('names unknown fields instead of ignoring them', async () => {
    const response = record(
      'unknown field',
      await admin.client.post('/api/v1/tokens', { name: 'x', isAdmin: true }),
    );
    expectProblem(response, 400, 'validation_failed');
    expect(response.body.detail).toContain('isAdmin');
    const query = record('unknown query', await admin.client.get('/api/v1/users?sort=name'));
    expectProblem(query, 400);
    expect(query.body.detail).toContain('sort');
  });

  it('refuses a prototype-pollution payload', async () => {
    const response = record(
      '__proto__',
      await admin.client.post('/api/v1/tokens', '{"name":"x","__proto__":{"role":"admin"}}'),
    );
    expectProblem(response, 400);
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });

  it('refuses a malformed UUID in the path or cursor', async () => {
    const get = record('bad uuid', await admin.client.get('/api/v1/users/not-a-uuid'));
    expectProblem(get, 400, 'validation_failed');
    expect(get.body.errors).toEqual([expect.objectContaining({ path: 'params.id' })]);
    expectProblem(
      record('bad uuid delete', await admin.client.delete("/api/v1/tokens/1'%20or%20'1'='1")),
      400,
    );
    expectProblem(record('bad cursor', await admin.client.get('/api/v1/audit?after=zzz')), 400);
    expectProblem(record('bad limit', await admin.client.get('/api/v1/users?limit=abc')), 400);
  });

  it('answers a URL the router cannot read with a problem document and the security headers', async () => {
    // Fastify answers these before any hook: once a bare JSON 414 without the CSP.
    const long = record('long id', await admin.client.get(`/api/v1/users/${'x'.repeat(300)}`));
    expectProblem(long, 400, 'bad_request');
    expect(long.body.detail).toContain('too long');
    expect(long.headers['content-security-policy']).toContain("default-src 'self'");
    const badEscape = record('bad escape', await admin.client.get('/api/v1/users/%E0%A4%A'));
    expectProblem(badEscape, 400, 'bad_request');
    expect(badEscape.body.detail).toContain('% escapes');
    expect(badEscape.headers['x-content-type-options']).toBe('nosniff');
  });

  it('stores SQL and HTML in strings verbatim and returns them as JSON', async () => {
    const name = `Robert'); drop table users;--<script>alert("x")</script>`;
    const created = record(
      'hostile name',
      await admin.client.post('/api/v1/users', { email: 'bobby@example.com', name, role: 'agent' }),
    );
    expect(created.status).toBe(201);
    expect(created.body.user.name).toBe(name);
    const fetched = record('hostile fetch', await admin.client.get(`/api/v1/users/${created.body.user.id}`));
    expect(fetched.headers['content-type']).toContain('application/json');
    expect(fetched.headers['x-content-type-options']).toBe('nosniff');
    expect(fetched.body.name).toBe(name);
    const row = await t.database.db
      .selectFrom('users')
      .select('name')
      .where('id', '=', created.body.user.id)
      .executeTakeFirst();
    expect(row?.name).toBe(name);
    const token = record(
      'hostile token',
      await admin.client.post('/api/v1/tokens', { name: "x' OR 1=1 --" }),
    );
    expect(token.body.name).toBe("x' OR 1=1 --");
  });

  it('refuses NUL characters (which PostgreSQL cannot store) with the field that has one', async () => {
    const body = record('nul body', await admin.client.post('/api/v1/tokens', { name: 'a\u0000b' }));
    expectProblem(body, 400, 'validation_failed');
    expect(body.body.errors).toEqual([{ path: 'body.name', message: expect.stringContaining('NUL') }]);
    const nested = record(
      'nul user',
      await admin.client.post('/api/v1/users', { email: 'nul@example.com', name: 'x\u0000', role: 'agent' }),
    );
    expect(nested.body.errors[0].path).toBe('body.name');
    const query = record('nul query', await admin.client.get('/api/v1/audit?entity=a%00b'));
    expectProblem(query, 400);
    expect(query.body.errors[0].path).toBe('query.entity');
  });

  it('answers 404 problem documents for unknown API routes', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/nothing-here'],
      ['POST', '/api/v1/users/00000000-0000-7000-8000-000000000000/explode'],
      ['GET', '/api'],
      ['PUT', '/api/v1/users'],
    ] as const) {
      const response = record(url, await admin.client.request(method, url));
      expectProblem(response, 404, 'not_found');
    }
  });
});

describe('request limits', () => {
  it('answers 413 for a body over BODY_LIMIT_BYTES', async () => {
    const small = await createTestApp({ BODY_LIMIT_BYTES: '2048' });
    try {
      const { client } = await signedInUser(small, 'admin');
      const response = record('too large', await client.post('/api/v1/tokens', { name: 'x'.repeat(4000) }));
      expectProblem(response, 413, 'payload_too_large');
      expect(response.body.detail).toContain('BODY_LIMIT_BYTES');
      const fits = record('fits', await client.post('/api/v1/tokens', { name: 'x'.repeat(90) }));
      expect(fits.status).toBe(201);
    } finally {
      await small.close();
    }
  });
});

describe('sessions and headers', () => {
  it('answers 401 once the session has expired', async () => {
    const user = await signedInUser(t, 'agent', admin.workspaceId);
    expect((await user.client.get('/api/v1/me')).status).toBe(200);
    await t.database.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', user.user.id)
      .execute();
    expectProblem(record('expired', await user.client.get('/api/v1/me')), 401, 'unauthenticated');
  });

  it('sends the security headers on API answers and on HTML pages', async () => {
    for (const url of ['/api/v1/me', '/api/docs', '/api/v1/nothing', '/some/page']) {
      const response = record(url, await admin.client.get(url));
      const csp = String(response.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
    const docs = await admin.client.get('/api/docs');
    expect(docs.headers['content-type']).toContain('text/html');
    expect((await admin.client.get('/api/v1/me')).headers['cache-control']).toBe('no-store');
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const given = record(
      'request id',
      await admin.client.get('/api/v1/me', { 'x-request-id': 'trace-42.abc_DEF' }),
    );
    expect(given.headers['x-request-id']).toBe('trace-42.abc_DEF');
    const problem = record(
      'request id problem',
      await admin.client.get('/api/v1/nope', { 'x-request-id': 'trace-43' }),
    );
    expect(problem.body.requestId).toBe('trace-43');
    const bad = record(
      'bad request id',
      await admin.client.get('/api/v1/me', { 'x-request-id': 'no spaces <allowed>' }),
    );
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('Idempotency-Key', () => {
  it('replays the stored answer for the same key and body, and creates the token once', async () => {
    const headers = { 'idempotency-key': 'create-token-1' };
    const first = record('idem 1', await admin.client.post('/api/v1/tokens', { name: 'idem-once' }, headers));
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = record(
      'idem 2',
      await admin.client.post('/api/v1/tokens', { name: 'idem-once' }, headers),
    );
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    // The secret is shown once: the stored reply keeps everything but the token itself.
    expect(second.body).toEqual({ ...first.body, token: '[redacted]' });
    const stored = await t.database.db.selectFrom('idempotency_keys').select('response').execute();
    expect(JSON.stringify(stored)).not.toContain(first.body.token);
    expect(await tokenCount(admin.client, 'idem-once')).toBe(1);
  });

  it('refuses the same key with a different body (422)', async () => {
    const headers = { 'idempotency-key': 'create-token-2' };
    expect((await admin.client.post('/api/v1/tokens', { name: 'idem-a' }, headers)).status).toBe(201);
    const other = record(
      'idem mismatch',
      await admin.client.post('/api/v1/tokens', { name: 'idem-b' }, headers),
    );
    expectProblem(other, 422, 'idempotency_mismatch');
    expect(await tokenCount(admin.client, 'idem-b')).toBe(0);
  });

  it('creates one token when the same request arrives several times at once', async () => {
    const headers = { 'idempotency-key': 'create-token-3' };
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        admin.client.post('/api/v1/tokens', { name: 'idem-concurrent' }, headers),
      ),
    );
    for (const response of responses) record('idem concurrent', response);
    for (const response of responses) expect([201, 409]).toContain(response.status);
    expect(responses.filter((r) => r.status === 201 && !r.headers['idempotent-replayed'])).toHaveLength(1);
    expect(await tokenCount(admin.client, 'idem-concurrent')).toBe(1);
  });

  it('lets the key be used again after the first attempt failed validation', async () => {
    const headers = { 'idempotency-key': 'create-token-4' };
    expect((await admin.client.post('/api/v1/tokens', { name: '' }, headers)).status).toBe(400);
    expect((await admin.client.post('/api/v1/tokens', { name: 'idem-after-error' }, headers)).status).toBe(
      201,
    );
  });

  it('refuses a malformed key', async () => {
    const response = record(
      'bad key',
      await admin.client.post('/api/v1/tokens', { name: 'x' }, { 'idempotency-key': 'k'.repeat(201) }),
    );
    expectProblem(response, 400);
    expect(response.body.detail).toContain('Idempotency-Key');
  });
});

it('never answered 500 to any of the inputs above', () => {
  expect(seen.length).toBeGreaterThan(20);
  expect(seen.filter((entry) => entry.status >= 500)).toEqual([]);
});
