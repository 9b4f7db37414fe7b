import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

describe('workspace settings', () => {
  it('reads and changes the name and default region, audited, and uses the region for phones', async () => {
    const read = await admin.client.get('/api/v1/workspace');
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ id: admin.workspaceId, name: 'Acme', defaultRegion: 'US' });

    const changed = await admin.client.patch('/api/v1/workspace', {
      name: ' Acme Ltd ',
      defaultRegion: 'gb',
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toEqual({ id: admin.workspaceId, name: 'Acme Ltd', defaultRegion: 'GB' });
    const entry = await t.database.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'workspace.updated')
      .executeTakeFirstOrThrow();
    expect(entry.before).toMatchObject({ defaultRegion: 'US' });
    expect(entry.after).toMatchObject({ defaultRegion: 'GB', name: 'Acme Ltd' });

    const person = await admin.client.post('/api/v1/people', {
      givenName: 'Tom',
      phones: [{ value: '020 7946 0958' }],
    });
    expect(person.status, JSON.stringify(person.body)).toBe(201);
    expect(person.body.phones[0].e164).toBe('+442079460958');
  });

  it('refuses an unknown region or an empty name', async () => {
    const region = await admin.client.patch('/api/v1/workspace', { defaultRegion: 'XX' });
    expect(region.status).toBe(400);
    expect(region.body.errors[0].path).toBe('body.defaultRegion');
    const long = await admin.client.patch('/api/v1/workspace', { defaultRegion: 'USA' });
    expect(long.status).toBe(400);
    const name = await admin.client.patch('/api/v1/workspace', { name: '  ' });
    expect(name.status).toBe(400);
    expect(name.body.errors[0].path).toBe('body.name');
  });

  it('lets everyone read but only admins change the settings', async () => {
    for (const role of ['manager', 'agent', 'executive'] as const) {
      const user = await signedInUser(t, role, admin.workspaceId);
      expect((await user.client.get('/api/v1/workspace')).body.id).toBe(admin.workspaceId);
      expect((await user.client.patch('/api/v1/workspace', { name: 'Taken over' })).status).toBe(403);
    }
    expect((await t.client().get('/api/v1/workspace')).status).toBe(401);
  });

  it('changes only the caller’s own workspace', async () => {
    const other = await signedInUser(t, 'admin');
    await other.client.patch('/api/v1/workspace', { name: 'Other', defaultRegion: 'FR' });
    const ours = await admin.client.get('/api/v1/workspace');
    expect(ours.body.name).not.toBe('Other');
    expect(ours.body.defaultRegion).not.toBe('FR');
  });
});
