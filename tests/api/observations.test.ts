import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertObservations } from '../../src/features/items/observations.ts';
import { createUser, signedInUser, signIn } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';
import { eventsOf, plantItem } from './helpers/listening-items.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let outsider: Awaited<ReturnType<typeof signedInUser>>;
let agent: Client;
let agentId: string;
let categoryId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  outsider = await signedInUser(t, 'admin');
  const user = await createUser(t.database.db, admin.workspaceId, { role: 'agent' });
  agent = t.client();
  agentId = user.id;
  await signIn(agent, user.email);
  const created = await admin.client.post('/api/v1/item-categories', {
    name: "Car won't start",
    observationTemplate: [
      { key: 'time_of_day', label: 'Time of day', type: 'choice', choices: ['Morning', 'Evening'] },
      { key: 'minutes_parked', label: 'Minutes parked', type: 'number' },
      { key: 'flavour', label: 'Flavour bought', type: 'text' },
      { key: 'stopped_at', label: 'Stopped at', type: 'datetime' },
      { key: 'fuel_injected', label: 'Fuel injected', type: 'boolean' },
    ],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  categoryId = created.body.id;
});
afterAll(() => t.close());

const storedOf = (itemId: string) =>
  t.database.db
    .selectFrom('item_observations')
    .select(['key', 'value_type', 'value', 'value_key', 'author_user_id'])
    .where('item_id', '=', itemId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

describe('POST /items/:id/observations', () => {
  it('types values by the category template and stores a canonical key', async () => {
    const item = await plantItem(t.database.db, admin.workspaceId, { categoryId });
    const url = `/api/v1/items/${item.id}/observations`;
    const posts = [
      { key: 'time_of_day', value: 'evening' },
      { key: 'minutes_parked', value: '4.50' },
      { key: 'flavour', value: '  Vanilla ' },
      { key: 'stopped_at', value: '2024-05-01T16:30:00+02:00' },
      { key: 'fuel_injected', value: 'TRUE' },
      { key: 'outside_temp', value: -3 },
      { key: 'raining', value: false },
      { key: 'store', value: 'Main Street' },
    ];
    for (const body of posts) {
      const response = await agent.post(url, body);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.body).toMatchObject({ key: body.key, authorId: agentId });
    }
    const stored = await storedOf(item.id);
    expect(stored.map((row) => [row.key, row.value_type, row.value, row.value_key])).toEqual([
      ['time_of_day', 'choice', 'Evening', 'evening'],
      ['minutes_parked', 'number', 4.5, '4.5'],
      ['flavour', 'text', 'Vanilla', 'vanilla'],
      ['stopped_at', 'datetime', '2024-05-01T14:30:00.000Z', '2024-05-01T14:30:00.000Z'],
      ['fuel_injected', 'boolean', true, 'true'],
      ['outside_temp', 'number', -3, '-3'],
      ['raining', 'boolean', false, 'false'],
      ['store', 'text', 'Main Street', 'main street'],
    ]);
    expect(stored.every((row) => row.author_user_id === agentId)).toBe(true);
    const events = await eventsOf(t.database.db, item.id);
    expect(events.filter((event) => event.type === 'observation_added')).toHaveLength(posts.length);
    expect(events[0]).toMatchObject({ actor_id: agentId, data: { key: 'time_of_day', value: 'Evening' } });
    const audited = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', item.id)
      .where('action', '=', 'item.observation_added')
      .execute();
    expect(audited).toHaveLength(posts.length);
  });

  it('shows observations in the item JSON', async () => {
    const item = await plantItem(t.database.db, admin.workspaceId, { categoryId });
    await agent.post(`/api/v1/items/${item.id}/observations`, { key: 'flavour', value: 'Vanilla' });
    const read = await agent.get(`/api/v1/items/${item.id}`);
    expect(read.status).toBe(200);
    expect(read.body.observations).toMatchObject([
      { key: 'flavour', type: 'text', value: 'Vanilla', authorId: agentId },
    ]);
  });

  it('does not store the same value twice for an item; another value for the key is added', async () => {
    const item = await plantItem(t.database.db, admin.workspaceId, { categoryId });
    const url = `/api/v1/items/${item.id}/observations`;
    const first = await agent.post(url, { key: 'flavour', value: 'Vanilla' });
    expect(first.status).toBe(201);
    const again = await admin.client.post(url, { key: 'flavour', value: ' vanilla ' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const other = await admin.client.post(url, { key: 'flavour', value: 'Mint' });
    expect(other.status).toBe(201);
    expect((await storedOf(item.id)).map((row) => row.value)).toEqual(['Vanilla', 'Mint']);
    const events = await eventsOf(t.database.db, item.id);
    expect(events.filter((event) => event.type === 'observation_added')).toHaveLength(2);
  });

  it('refuses values that do not fit their type, naming the field', async () => {
    const item = await plantItem(t.database.db, admin.workspaceId, { categoryId });
    const url = `/api/v1/items/${item.id}/observations`;
    const refused: [Record<string, unknown>, string, RegExp][] = [
      [{ key: 'time_of_day', value: 'Noon' }, 'body.value', /one of: Morning, Evening/],
      [{ key: 'minutes_parked', value: 'ten' }, 'body.value', /number/],
      [{ key: 'minutes_parked', value: true }, 'body.value', /number/],
      [{ key: 'stopped_at', value: 'yesterday' }, 'body.value', /ISO 8601/],
      [{ key: 'stopped_at', value: '2024-05-01T16:30' }, 'body.value', /zone/],
      [{ key: 'stopped_at', value: '2024-02-31' }, 'body.value', /ISO 8601/],
      [{ key: 'fuel_injected', value: 'maybe' }, 'body.value', /true or false/],
      [{ key: 'flavour', value: 'x', type: 'number' }, 'body.type', /records "flavour" as text/],
      [{ key: 'colour', value: 'red', type: 'choice' }, 'body.value', /no choices/],
      [{ key: 'speed', value: 'fast', type: 'number' }, 'body.value', /number/],
    ];
    for (const [body, path, message] of refused) {
      const response = await agent.post(url, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.body.errors).toEqual([{ path, message: expect.stringMatching(message) }]);
    }
    const badKey = await agent.post(url, { key: 'Bad Key', value: 1 });
    expect(badKey.status).toBe(400);
    expect(badKey.body.errors[0].path).toBe('body.key');
    expect(await storedOf(item.id)).toEqual([]);
  });

  it('answers 404 for an item of another workspace and for a missing one', async () => {
    const item = await plantItem(t.database.db, admin.workspaceId, {});
    const foreign = await outsider.client.post(`/api/v1/items/${item.id}/observations`, {
      key: 'a',
      value: 1,
    });
    expect(foreign.status).toBe(404);
    const missing = await agent.post('/api/v1/items/0190a6c4-5b1e-7000-8000-000000000000/observations', {
      key: 'a',
      value: 1,
    });
    expect(missing.status).toBe(404);
    expect(await storedOf(item.id)).toEqual([]);
  });
});

describe('insertObservations (used when an item is created)', () => {
  it('stores all or nothing and reports each refused value by its index', async () => {
    const item = await plantItem(t.database.db, admin.workspaceId, { categoryId });
    const attempt = t.database.db.transaction().execute((tx) =>
      insertObservations(tx, {
        workspaceId: admin.workspaceId,
        itemId: item.id,
        categoryId,
        authorUserId: agentId,
        inputs: [
          { key: 'flavour', value: 'Vanilla' },
          { key: 'minutes_parked', value: 'long' },
          { key: 'time_of_day', value: 'Night' },
        ],
      }),
    );
    await expect(attempt).rejects.toMatchObject({
      status: 422,
      details: {
        errors: [
          { path: 'body.observations.1.value', message: expect.any(String) },
          { path: 'body.observations.2.value', message: expect.any(String) },
        ],
      },
    });
    expect(await storedOf(item.id)).toEqual([]);
    const stored = await t.database.db.transaction().execute((tx) =>
      insertObservations(tx, {
        workspaceId: admin.workspaceId,
        itemId: item.id,
        categoryId: null,
        authorUserId: null,
        inputs: [
          { key: 'count', value: 3 },
          { key: 'when', value: '2024-05-01', type: 'datetime' },
        ],
      }),
    );
    expect(stored.map((o) => [o.key, o.type, o.value])).toEqual([
      ['count', 'number', 3],
      ['when', 'datetime', '2024-05-01T00:00:00.000Z'],
    ]);
  });

  it("does not read another workspace's category template", async () => {
    const foreignCategory = await outsider.client.post('/api/v1/item-categories', {
      name: 'Foreign',
      observationTemplate: [{ key: 'size', label: 'Size', type: 'choice', choices: ['S', 'M'] }],
    });
    const item = await plantItem(t.database.db, admin.workspaceId, {});
    const attempt = t.database.db.transaction().execute((tx) =>
      insertObservations(tx, {
        workspaceId: admin.workspaceId,
        itemId: item.id,
        categoryId: foreignCategory.body.id,
        authorUserId: null,
        inputs: [{ key: 'size', value: 'S', type: 'choice' }],
      }),
    );
    await expect(attempt).rejects.toMatchObject({ status: 422 });
  });
});
