import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let owner: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  owner = await signedInUser(t, 'agent');
});
afterAll(() => t.close());

async function createToken(name = 'CI script') {
  const response = await owner.client.post('/api/v1/tokens', { name });
  expect(response.status).toBe(201);
  return response.body as {
    id: string;
    name: string;
    prefix: string;
    token: string;
    lastUsedAt: string | null;
  };
}

function bearerClient(token: string) {
  const client = t.client();
  client.bearer = token;
  return client;
}

describe('API tokens', () => {
  it('shows the secret once; the list and the database never contain it', async () => {
    const created = await createToken('Nightly export');
    expect(created.token).toMatch(/^rpt_[A-Za-z0-9_-]{40,}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    expect(created.lastUsedAt).toBeNull();

    const list = await owner.client.get('/api/v1/tokens');
    expect(list.status).toBe(200);
    const listed = list.body.data.find((item: { id: string }) => item.id === created.id);
    expect(listed).toMatchObject({ name: 'Nightly export', prefix: created.prefix });
    expect(listed).not.toHaveProperty('token');
    expect(JSON.stringify(list.body)).not.toContain(created.token);

    const row = await t.database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirst();
    expect(row!.token_hash).not.toContain(created.token);
    expect(JSON.stringify(row)).not.toContain(created.token.slice(12));
  });

  it('authenticates with Authorization: Bearer and records when it was last used', async () => {
    const created = await createToken();
    const client = bearerClient(created.token);
    const me = await client.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ via: 'token', csrfToken: null, user: { id: owner.user.id } });

    const row = await t.database.db
      .selectFrom('api_tokens')
      .select('last_used_at')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.last_used_at).toBeInstanceOf(Date);
    expect(Math.abs(row.last_used_at!.getTime() - Date.now())).toBeLessThan(60_000);
    const listed = (await owner.client.get('/api/v1/tokens')).body.data.find(
      (item: { id: string }) => item.id === created.id,
    );
    expect(listed.lastUsedAt).toEqual(expect.any(String));
  });

  it('accepts the scheme name in any case', async () => {
    const created = await createToken();
    const response = await t.client().get('/api/v1/me', { authorization: `bearer ${created.token}` });
    expect(response.status).toBe(200);
  });

  it('needs no CSRF token for writes made with a bearer token', async () => {
    const created = await createToken();
    const client = bearerClient(created.token);
    expect(client.csrfToken).toBeUndefined();
    const response = await client.post('/api/v1/tokens', { name: 'made by a token' });
    expect(response.status).toBe(201);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_id'])
      .where('entity_id', '=', response.body.id)
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ actor_type: 'token', actor_id: owner.user.id });
  });

  it('stops working as soon as it is revoked, and disappears from the list', async () => {
    const created = await createToken();
    const client = bearerClient(created.token);
    expect((await client.get('/api/v1/me')).status).toBe(200);

    const revoked = await owner.client.delete(`/api/v1/tokens/${created.id}`);
    expect(revoked.status).toBe(204);
    const after = await client.get('/api/v1/me');
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('unauthenticated');
    const ids = (await owner.client.get('/api/v1/tokens')).body.data.map((item: { id: string }) => item.id);
    expect(ids).not.toContain(created.id);
    expect((await owner.client.delete(`/api/v1/tokens/${created.id}`)).status).toBe(404);
  });

  it("answers 404 when revoking another user's token, and leaves it working", async () => {
    const created = await createToken();
    const other = await signedInUser(t, 'admin', owner.workspaceId);
    const response = await other.client.delete(`/api/v1/tokens/${created.id}`);
    expect(response.status).toBe(404);
    expect((await bearerClient(created.token).get('/api/v1/me')).status).toBe(200);
    const list = await other.client.get('/api/v1/tokens');
    expect(list.body.data.map((item: { id: string }) => item.id)).not.toContain(created.id);
  });

  it('answers 401 with a message for a malformed Authorization header', async () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'rpt_abc']) {
      const response = await t.client().get('/api/v1/me', { authorization: header });
      expect(response.status, header).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.detail).toContain('Bearer <token>');
    }
  });

  it('answers 401 for an unknown or foreign-looking token', async () => {
    for (const token of ['rpt_thisTokenDoesNotExist1234567890abcdefghijk', 'ghp_someOtherServicesToken']) {
      const response = await bearerClient(token).get('/api/v1/me');
      expect(response.status, token).toBe(401);
      expect(response.body.code).toBe('unauthenticated');
    }
  });

  it('validates the token name', async () => {
    const empty = await owner.client.post('/api/v1/tokens', { name: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].path).toBe('body.name');
    const long = await owner.client.post('/api/v1/tokens', { name: 'x'.repeat(101) });
    expect(long.status).toBe(400);
    expect(long.body.detail).toContain('at most 100');
  });
});
