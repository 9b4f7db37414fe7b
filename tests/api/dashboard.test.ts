import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let agent: Awaited<ReturnType<typeof signedInUser>>;
let other: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  agent = await signedInUser(t, 'agent');
  // Another workspace altogether.
  other = await signedInUser(t, 'executive');
});
afterAll(() => t.close());

describe('dashboard', () => {
  it('shows the defaults that exist in the catalogue until the user chooses', async () => {
    const catalogue = await agent.client.get('/api/v1/metrics');
    const names = catalogue.body.data.map((metric: { name: string }) => metric.name);
    const response = await agent.client.get('/api/v1/dashboard');
    expect(response.status).toBe(200);
    expect(response.body.saved).toBe(false);
    expect(response.body.metrics.slice(0, 2)).toEqual(['first_contact_resolution', 'loop_closure_rate']);
    for (const name of response.body.metrics) expect(names).toContain(name);
  });

  it('saves the choice per user, audited, and keeps it apart from other users', async () => {
    const saved = await agent.client.put('/api/v1/dashboard', {
      metrics: ['loop_closure_rate', 'first_contact_resolution'],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({
      metrics: ['loop_closure_rate', 'first_contact_resolution'],
      saved: true,
    });
    expect((await agent.client.get('/api/v1/dashboard')).body.metrics).toEqual([
      'loop_closure_rate',
      'first_contact_resolution',
    ]);
    const again = await agent.client.put('/api/v1/dashboard', { metrics: ['first_contact_resolution'] });
    expect(again.body.metrics).toEqual(['first_contact_resolution']);
    // The other user still has the defaults.
    expect((await other.client.get('/api/v1/dashboard')).body.saved).toBe(false);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after', 'workspace_id'])
      .where('entity', '=', 'user_dashboard')
      .where('entity_id', '=', agent.user.id)
      .orderBy('id')
      .execute();
    expect(audit.map((row) => row.action)).toEqual(['dashboard.saved', 'dashboard.saved']);
    expect(audit[1]!.after).toEqual({ metrics: ['first_contact_resolution'] });
    expect(audit[1]!.before).toEqual({ metrics: ['loop_closure_rate', 'first_contact_resolution'] });
    expect(audit[0]!.workspace_id).toBe(agent.workspaceId);
  });

  it('answers 400 for an unknown metric, a duplicate or a malformed name, and changes nothing', async () => {
    const unknown = await agent.client.put('/api/v1/dashboard', {
      metrics: ['first_contact_resolution', 'happiness'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ path: 'body.metrics.1' });
    expect(unknown.body.detail).toMatch(/"happiness" is not a metric/);
    const twice = await agent.client.put('/api/v1/dashboard', {
      metrics: ['loop_closure_rate', 'loop_closure_rate'],
    });
    expect(twice.status).toBe(400);
    const malformed = await agent.client.put('/api/v1/dashboard', { metrics: ['Not A Name'] });
    expect(malformed.status).toBe(400);
    const missing = await agent.client.put('/api/v1/dashboard', {});
    expect(missing.status).toBe(400);
    expect((await agent.client.get('/api/v1/dashboard')).body.metrics).toEqual(['first_contact_resolution']);
  });

  it('an empty choice is kept (no cards), and signed-out callers get 401', async () => {
    const empty = await other.client.put('/api/v1/dashboard', { metrics: [] });
    expect(empty.status).toBe(200);
    expect((await other.client.get('/api/v1/dashboard')).body).toMatchObject({ metrics: [], saved: true });
    expect((await t.client().get('/api/v1/dashboard')).status).toBe(401);
  });
});
