import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginLimits } from '../../src/features/auth/service.ts';
import { createUser, createWorkspace, testPassword } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('first-run setup', () => {
  it('says setup is needed on an empty database', async () => {
    const response = await t.client().get('/api/v1/setup');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ needed: true });
  });

  it('refuses bad input with field messages and creates nothing', async () => {
    const client = t.client();
    const response = await client.post('/api/v1/setup', {
      workspaceName: '',
      name: 'Ana',
      email: 'not-an-email',
      password: 'short',
      extra: 1,
    });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.code).toBe('validation_failed');
    const paths = response.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body', 'body.workspaceName', 'body.email', 'body.password']),
    );
    expect((await client.get('/api/v1/setup')).body.needed).toBe(true);
  });

  it('refuses a common password', async () => {
    const response = await t.client().post('/api/v1/setup', {
      workspaceName: 'Acme',
      name: 'Ana',
      email: 'ana@example.com',
      password: 'password123',
    });
    expect(response.status).toBe(400);
    expect(response.body.detail).toContain('most common');
  });

  it('creates the workspace and admin once, signs them in, and answers 409 afterwards', async () => {
    const client = t.client();
    const input = {
      workspaceName: 'Acme',
      name: 'Ana Admin',
      email: 'Ana@Example.com',
      password: 'a good long password',
    };
    const [first, second] = await Promise.all([
      client.post('/api/v1/setup', input),
      t.client().post('/api/v1/setup', input),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([201, 409]);
    const created = first.status === 201 ? first : second;
    expect(created.body.user).toMatchObject({ email: 'ana@example.com', role: 'admin', status: 'active' });
    expect(created.body.workspace.name).toBe('Acme');
    const setCookie = String(created.headers['set-cookie']);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect((await t.client().get('/api/v1/setup')).body.needed).toBe(false);
  });
});

describe('login, session, logout', () => {
  it('signs in with the right password, case-insensitively on email', async () => {
    const client = t.client();
    const response = await client.post('/api/v1/auth/login', {
      email: 'ANA@example.com',
      password: 'a good long password',
    });
    expect(response.status).toBe(200);
    expect(response.body.csrfToken).toEqual(expect.any(String));
    const me = await client.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('ana@example.com');
    expect(me.body.via).toBe('session');
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const unknown = await t
      .client()
      .post('/api/v1/auth/login', { email: 'nobody@example.com', password: 'whatever12345' });
    const wrong = await t
      .client()
      .post('/api/v1/auth/login', { email: 'ana@example.com', password: 'whatever12345' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('rejects writes with the session cookie but without the CSRF token', async () => {
    const client = t.client();
    await client.post('/api/v1/auth/login', { email: 'ana@example.com', password: 'a good long password' });
    client.csrfToken = undefined;
    const response = await client.post('/api/v1/tokens', { name: 'x' });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('csrf_failed');
  });

  it('refuses sign-in posted from a foreign origin (login CSRF) but accepts its own', async () => {
    const body = { email: 'ana@example.com', password: 'a good long password' };
    const foreign = await t.client().post('/api/v1/auth/login', body, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('csrf_failed');
    expect(foreign.headers['set-cookie']).toBeUndefined();
    const own = await t
      .client()
      .post('/api/v1/auth/login', body, { origin: 'http://localhost:80', host: 'localhost:80' });
    expect(own.status).toBe(200);
  });

  it('needs the CSRF token to sign out with a cookie', async () => {
    const client = t.client();
    await client.post('/api/v1/auth/login', { email: 'ana@example.com', password: 'a good long password' });
    const token = client.csrfToken;
    client.csrfToken = undefined;
    expect((await client.post('/api/v1/auth/logout')).status).toBe(403);
    client.csrfToken = token;
    expect((await client.get('/api/v1/me')).status).toBe(200);
  });

  it('logs out: the session no longer works', async () => {
    const client = t.client();
    await client.post('/api/v1/auth/login', { email: 'ana@example.com', password: 'a good long password' });
    const cookie = client.cookie;
    expect((await client.post('/api/v1/auth/logout')).status).toBe(204);
    client.cookie = cookie;
    expect((await client.get('/api/v1/me')).status).toBe(401);
  });

  it('rate-limits repeated failures per account with 429 and Retry-After', async () => {
    const workspace = await createWorkspace(t.database.db);
    const user = await createUser(t.database.db, workspace.id);
    const client = t.client();
    client.ip = '10.0.0.9';
    for (let i = 0; i < loginLimits.perAccount; i += 1) {
      const response = await client.post('/api/v1/auth/login', {
        email: user.email,
        password: `wrong-password-${i}`,
      });
      expect(response.status).toBe(401);
    }
    const limited = await client.post('/api/v1/auth/login', { email: user.email, password: testPassword });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another account from another address is not affected.
    const other = t.client();
    other.ip = '10.0.0.10';
    expect(
      (await other.post('/api/v1/auth/login', { email: 'x@example.com', password: 'wrong-password' })).status,
    ).toBe(401);
  });
});
