// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are checked field by field in tests.
import { expect } from 'vitest';
import type { Client, TestApp } from '../support/test-app.ts';

export async function createItem(client: Client, body: Record<string, unknown> = {}) {
  const response = await client.post('/api/v1/items', {
    kind: 'complaint',
    subject: 'The car will not start',
    acknowledge: false,
    ...body,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as any;
}

/** POST an action; asserts the status and returns the body. */
export async function act(client: Client, id: string, name: string, body: unknown, status = 200) {
  const response = await client.post(`/api/v1/items/${id}/${name}`, body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response.body as any;
}

export async function outboxTo(t: TestApp, to: string) {
  return t.database.db
    .selectFrom('outbox')
    .selectAll()
    .where('to_address', '=', to)
    .orderBy('created_at')
    .execute();
}

export async function eventTypes(t: TestApp, itemId: string) {
  const rows = await t.database.db
    .selectFrom('item_events')
    .select('type')
    .where('item_id', '=', itemId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.type);
}
