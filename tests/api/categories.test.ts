import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signedInUser, signIn } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';
import { eventsOf, plantItem } from './helpers/listening-items.ts';

let t: TestApp;
let manager: Awaited<ReturnType<typeof signedInUser>>;
let outsider: Awaited<ReturnType<typeof signedInUser>>;
let agent: Client;

beforeAll(async () => {
  t = await createTestApp();
  manager = await signedInUser(t, 'manager');
  outsider = await signedInUser(t, 'admin');
  const user = await createUser(t.database.db, manager.workspaceId, { role: 'agent' });
  agent = t.client();
  await signIn(agent, user.email);
});
afterAll(() => t.close());

const template = [
  { key: 'time_of_day', label: 'Time of day', type: 'choice', choices: ['Morning', 'Evening'] },
  { key: 'minutes_parked', label: 'Minutes parked', type: 'number' },
];

describe('item categories', () => {
  it('are created, listed by name in pages, read, renamed with versions and deleted', async () => {
    const created = await manager.client.post('/api/v1/item-categories', {
      name: "  Car won't start ",
      observationTemplate: template,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: "Car won't start",
      observationTemplate: template,
      version: 1,
    });
    expect(created.headers.location).toBe(`/api/v1/item-categories/${created.body.id}`);
    await manager.client.post('/api/v1/item-categories', { name: 'billing' });
    await manager.client.post('/api/v1/item-categories', { name: 'Delivery' });

    const first = await agent.get('/api/v1/item-categories?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.data.map((c: { name: string }) => c.name)).toEqual(['billing', "Car won't start"]);
    const second = await agent.get(`/api/v1/item-categories?limit=2&after=${first.body.next}`);
    expect(second.body.data.map((c: { name: string }) => c.name)).toEqual(['Delivery']);
    expect(second.body.next).toBeNull();

    const renamed = await manager.client.patch(`/api/v1/item-categories/${created.body.id}`, {
      name: 'Engine',
      version: 1,
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Engine', observationTemplate: template, version: 2 });
    const stale = await manager.client.patch(`/api/v1/item-categories/${created.body.id}`, {
      name: 'Motor',
      version: 1,
    });
    expect(stale.status).toBe(409);
    const read = await agent.get(`/api/v1/item-categories/${created.body.id}`);
    expect(read.body.name).toBe('Engine');
    expect(read.headers.etag).toBe('"2"');

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', created.body.id)
      .orderBy('created_at')
      .execute();
    expect(audit.map((row) => row.action)).toEqual(['item_category.created', 'item_category.updated']);
  });

  it('refuse duplicate names (409), whatever the case', async () => {
    await manager.client.post('/api/v1/item-categories', { name: 'Returns' });
    const again = await manager.client.post('/api/v1/item-categories', { name: 'RETURNS' });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/already exists/);
    const other = await manager.client.post('/api/v1/item-categories', { name: 'Refunds' });
    const renameClash = await manager.client.patch(`/api/v1/item-categories/${other.body.id}`, {
      name: 'returns',
      version: 1,
    });
    expect(renameClash.status).toBe(409);
    const elsewhere = await outsider.client.post('/api/v1/item-categories', { name: 'Returns' });
    expect(elsewhere.status).toBe(201);
  });

  it('validate the observation template', async () => {
    const response = await manager.client.post('/api/v1/item-categories', {
      name: 'Broken template',
      observationTemplate: [
        { key: 'size', label: 'Size', type: 'choice' },
        { key: 'size', label: 'Size again', type: 'text' },
        { key: 'speed', label: 'Speed', type: 'number', choices: ['fast'] },
        { key: 'colour', label: 'Colour', type: 'choice', choices: ['Red', 'red'] },
      ],
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([
      { path: 'body.observationTemplate.0.choices', message: 'a choice field needs at least one choice.' },
      { path: 'body.observationTemplate.1.key', message: '"size" is already a field of this template.' },
      {
        path: 'body.observationTemplate.2.choices',
        message: 'only choice fields have choices (this one is number).',
      },
      { path: 'body.observationTemplate.3.choices', message: '"red" is listed twice.' },
    ]);
    const badKey = await manager.client.post('/api/v1/item-categories', {
      name: 'Bad key',
      observationTemplate: [{ key: 'Time Of Day', label: 'x', type: 'text' }],
    });
    expect(badKey.status).toBe(400);
    expect(badKey.body.errors[0].path).toBe('body.observationTemplate.0.key');
    const noName = await manager.client.post('/api/v1/item-categories', { name: ' ' });
    expect(noName.status).toBe(400);
  });

  it('can be configured by managers and admins only; agents read them', async () => {
    const refused = await agent.post('/api/v1/item-categories', { name: 'By an agent' });
    expect(refused.status).toBe(403);
    const existing = await manager.client.post('/api/v1/item-categories', { name: 'Agents read this' });
    expect(
      (await agent.patch(`/api/v1/item-categories/${existing.body.id}`, { name: 'x', version: 1 })).status,
    ).toBe(403);
    expect((await agent.delete(`/api/v1/item-categories/${existing.body.id}`)).status).toBe(403);
    expect((await agent.get(`/api/v1/item-categories/${existing.body.id}`)).status).toBe(200);
  });

  it('answer 404 to another workspace, with real ids', async () => {
    const existing = await manager.client.post('/api/v1/item-categories', { name: 'Private' });
    const url = `/api/v1/item-categories/${existing.body.id}`;
    expect((await outsider.client.get(url)).status).toBe(404);
    expect((await outsider.client.patch(url, { name: 'Stolen', version: 1 })).status).toBe(404);
    expect((await outsider.client.delete(url)).status).toBe(404);
    const list = await outsider.client.get('/api/v1/item-categories?limit=200');
    expect(list.body.data.map((c: { id: string }) => c.id)).not.toContain(existing.body.id);
    expect((await manager.client.get(url)).body.name).toBe('Private');
  });

  it('deleted: their items lose the category, keep their observations and record it', async () => {
    const doomed = await manager.client.post('/api/v1/item-categories', {
      name: 'Doomed',
      observationTemplate: template,
    });
    const item = await plantItem(t.database.db, manager.workspaceId, { categoryId: doomed.body.id });
    await agent.post(`/api/v1/items/${item.id}/observations`, { key: 'minutes_parked', value: 5 });
    const stale = await manager.client.delete(`/api/v1/item-categories/${doomed.body.id}`, {
      'if-match': '"7"',
    });
    expect(stale.status).toBe(409);
    const deleted = await manager.client.delete(`/api/v1/item-categories/${doomed.body.id}`);
    expect(deleted.status).toBe(204);
    expect((await manager.client.get(`/api/v1/item-categories/${doomed.body.id}`)).status).toBe(404);
    const row = await t.database.db
      .selectFrom('items')
      .select('category_id')
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(row.category_id).toBeNull();
    const observations = await t.database.db
      .selectFrom('item_observations')
      .select('key')
      .where('item_id', '=', item.id)
      .execute();
    expect(observations).toEqual([{ key: 'minutes_parked' }]);
    expect((await eventsOf(t.database.db, item.id)).map((event) => event.type)).toEqual([
      'observation_added',
      'category_removed',
    ]);
  });
});
