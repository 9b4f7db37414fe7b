import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ItemStatus, itemStatuses, itemTransitions } from '../../src/shared/listening.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { act, createItem, eventTypes } from './items-helpers.ts';

let t: TestApp;
let agent: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  agent = await signedInUser(t, 'agent');
});
afterAll(() => t.close());

async function itemIn(status: ItemStatus) {
  const item = await createItem(agent.client);
  await t.database.db
    .updateTable('items')
    .set({ status, ...(status === 'closed' ? { closed_at: new Date() } : {}) })
    .where('id', '=', item.id)
    .execute();
  return item.id as string;
}

/** Moves an item to a status through the API; returns the response. */
async function moveTo(id: string, to: ItemStatus) {
  const client = agent.client;
  switch (to) {
    case 'acknowledged':
    case 'in_progress':
    case 'waiting_on_customer': {
      const current = await client.get(`/api/v1/items/${id}`);
      return client.patch(`/api/v1/items/${id}`, { status: to, version: current.body.version });
    }
    case 'resolved':
      return client.post(`/api/v1/items/${id}/resolve`, { resolution: 'Replaced the battery' });
    case 'closed':
      return client.post(`/api/v1/items/${id}/close`, { reason: 'customer unreachable' });
    case 'reopened':
      return client.post(`/api/v1/items/${id}/reopen`, {});
    case 'new':
      throw new Error('no way back to new');
  }
}

describe('the lifecycle table', () => {
  const targets = itemStatuses.filter((status) => status !== 'new');
  for (const from of itemStatuses) {
    for (const to of targets) {
      if (from === to) continue;
      const allowed = itemTransitions[from].includes(to);
      it(`${from} → ${to} is ${allowed ? 'allowed' : 'refused'}`, async () => {
        const id = await itemIn(from);
        const response = await moveTo(id, to);
        if (allowed) {
          expect(response.status, JSON.stringify(response.body)).toBe(200);
          expect(response.body.status).toBe(to);
        } else {
          expect(response.status, JSON.stringify(response.body)).toBe(409);
          expect(response.body.detail).toContain(`it cannot become`);
          const after = await t.database.db
            .selectFrom('items')
            .select('status')
            .where('id', '=', id)
            .executeTakeFirstOrThrow();
          expect(after.status).toBe(from);
        }
      });
    }
  }

  it('names the current status and what is allowed', async () => {
    const id = await itemIn('waiting_on_customer');
    const response = await moveTo(id, 'closed');
    expect(response.body.detail).toBe(
      'This item is waiting on customer; it cannot become closed. From waiting on customer it can become: in progress, resolved.',
    );
  });
});

describe('closing the loop', () => {
  async function resolved() {
    const item = await createItem(agent.client);
    await act(agent.client, item.id, 'resolve', { resolution: 'Replaced the battery' });
    return item.id as string;
  }

  it('refuses to close before the customer was informed and thanked, saying what is missing', async () => {
    const id = await resolved();
    const both = await agent.client.post(`/api/v1/items/${id}/close`, {});
    expect(both.status).toBe(409);
    expect(both.body.detail).toBe(
      'The customer has not been informed of the outcome nor thanked yet: inform and thank them, or give a reason for closing without it.',
    );
    await act(agent.client, id, 'inform', { how: 'phone', summary: 'Told them the battery was replaced' });
    const thanks = await agent.client.post(`/api/v1/items/${id}/close`, {});
    expect(thanks.status).toBe(409);
    expect(thanks.body.detail).toBe(
      'The customer has not been thanked yet: thank them, or give a reason for closing without it.',
    );
    await act(agent.client, id, 'thank', { how: 'phone' });
    const closed = await act(agent.client, id, 'close', {});
    expect(closed).toMatchObject({ status: 'closed', closeReason: null });
    expect(closed.closedAt).not.toBeNull();
  });

  it('says when only the informing is missing', async () => {
    const id = await resolved();
    await act(agent.client, id, 'thank', { how: 'in_person' });
    const response = await agent.client.post(`/api/v1/items/${id}/close`, {});
    expect(response.status).toBe(409);
    expect(response.body.detail).toBe(
      'The customer has not been informed of the outcome yet: inform them, or give a reason for closing without it.',
    );
  });

  it('closes with a reason without informing or thanking, and keeps the reason', async () => {
    const id = await resolved();
    const closed = await act(agent.client, id, 'close', { reason: 'anonymous' });
    expect(closed).toMatchObject({
      status: 'closed',
      closeReason: 'anonymous',
      informedAt: null,
      thankedAt: null,
    });
  });

  it('reopening clears the loop, and a closed item must be reopened before more work', async () => {
    const id = await resolved();
    await act(agent.client, id, 'inform', { how: 'phone', summary: 'Fixed' });
    await act(agent.client, id, 'thank', { how: 'phone' });
    await act(agent.client, id, 'close', {});
    const refused = await agent.client.post(`/api/v1/items/${id}/thank`, { how: 'phone' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe('This item is closed: reopen it before you thank the customer.');
    const reopened = await act(agent.client, id, 'reopen', { reason: 'It broke again' });
    expect(reopened).toMatchObject({ status: 'reopened', informedAt: null, thankedAt: null, closedAt: null });
    const again = await agent.client.post(`/api/v1/items/${id}/reopen`, {});
    expect(again.status).toBe(409);
    expect(await eventTypes(t, id)).toEqual([
      'created',
      'resolved',
      'informed',
      'thanked',
      'closed',
      'reopened',
    ]);
  });

  it('a stale version on reopen is a 409', async () => {
    const id = await resolved();
    const response = await agent.client.post(`/api/v1/items/${id}/reopen`, {}, { 'if-match': '"1"' });
    expect(response.status).toBe(409);
    expect(response.body.detail).toContain('you sent version 1');
  });
});

describe('the SLA follows the lifecycle', () => {
  it('due times on create, paused while waiting on the customer, stopped when resolved', async () => {
    await t.database.db
      .insertInto('sla_policies')
      .values({
        workspace_id: agent.workspaceId,
        kind: 'request',
        priority: 'high',
        first_response_minutes: 60,
        resolution_minutes: 480,
      })
      .execute();
    const item = await createItem(agent.client, { kind: 'request', priority: 'high' });
    expect(item.firstResponseDueAt).not.toBeNull();
    expect(item.resolutionDueAt).not.toBeNull();
    const waiting = await agent.client.patch(`/api/v1/items/${item.id}`, {
      status: 'waiting_on_customer',
      version: 1,
    });
    expect(waiting.body.slaPausedAt).not.toBeNull();
    const back = await agent.client.patch(`/api/v1/items/${item.id}`, { status: 'in_progress', version: 2 });
    expect(back.body.slaPausedAt).toBeNull();
    const low = await agent.client.patch(`/api/v1/items/${item.id}`, { priority: 'low', version: 3 });
    expect(low.body.firstResponseDueAt).toBeNull();
    expect(await eventTypes(t, item.id)).toEqual(['created', 'status_changed', 'status_changed', 'updated']);
  });
});
