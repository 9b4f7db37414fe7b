import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordChangeLimit } from '../../src/features/auth/service.ts';
import { signedInUser, testPassword } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('my account', () => {
  it('records the sign-in time at setup, not only at login', async () => {
    const client = t.client();
    const setup = await client.post('/api/v1/setup', {
      workspaceName: 'Acme',
      name: 'Ana',
      email: 'ana@example.com',
      password: 'a good long password',
    });
    expect(setup.status).toBe(201);
    expect(setup.body.user.lastLoginAt).toEqual(expect.any(String));
  });

  it('changes the password, ends the other sessions and keeps this one', async () => {
    const { client, user } = await signedInUser(t, 'agent');
    const other = t.client();
    await other.post('/api/v1/auth/login', { email: user.email, password: testPassword });
    const changed = await client.post('/api/v1/me/password', {
      currentPassword: testPassword,
      newPassword: 'a brand new passphrase',
    });
    expect(changed.status).toBe(204);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    expect((await other.get('/api/v1/me')).status).toBe(401);
    const login = await t
      .client()
      .post('/api/v1/auth/login', { email: user.email, password: 'a brand new passphrase' });
    expect(login.status).toBe(200);
  });

  it('refuses a wrong current password and a weak new one', async () => {
    const { client } = await signedInUser(t, 'agent');
    const wrong = await client.post('/api/v1/me/password', {
      currentPassword: 'not my password',
      newPassword: 'a brand new passphrase',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].path).toBe('body.currentPassword');
    const weak = await client.post('/api/v1/me/password', {
      currentPassword: testPassword,
      newPassword: 'short',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.errors[0].path).toBe('body.newPassword');
  });

  it('rate-limits guessing the current password (a stolen session cannot brute-force it)', async () => {
    const { client } = await signedInUser(t, 'agent');
    for (let i = 0; i < passwordChangeLimit; i += 1) {
      const response = await client.post('/api/v1/me/password', {
        currentPassword: `guess number ${i}`,
        newPassword: 'a brand new passphrase',
      });
      expect(response.status).toBe(400);
    }
    const limited = await client.post('/api/v1/me/password', {
      currentPassword: testPassword,
      newPassword: 'a brand new passphrase',
    });
    expect(limited.status).toBe(429);
  });
});

describe('invite links', () => {
  it('use the address the admin used when PUBLIC_URL is not set', async () => {
    const { client } = await signedInUser(t, 'admin');
    const response = await client.post(
      '/api/v1/users',
      { email: 'new.agent@example.com', name: 'New Agent', role: 'agent' },
      { host: 'crm.acme.test:8080' },
    );
    expect(response.status).toBe(201);
    expect(response.body.inviteUrl).toMatch(/^http:\/\/crm\.acme\.test:8080\/invite\/[A-Za-z0-9_-]+$/);
  });

  it('use PUBLIC_URL when it is set', async () => {
    const other = await createTestApp({ PUBLIC_URL: 'https://crm.example.com/' });
    try {
      const { client } = await signedInUser(other, 'admin');
      const response = await client.post('/api/v1/users', {
        email: 'agent@example.com',
        name: 'Agent',
        role: 'agent',
      });
      expect(response.body.inviteUrl).toMatch(/^https:\/\/crm\.example\.com\/invite\//);
    } finally {
      await other.close();
    }
  });
});
