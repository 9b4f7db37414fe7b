// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are checked field by field in tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { act, createItem, eventTypes } from './items-helpers.ts';

/** Recording staff time on an item (POST/PUT /api/v1/items/:id/time) and what it does to the cost metrics. */
let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let agent: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  agent = await signedInUser(t, 'agent', admin.workspaceId);
});
afterAll(() => t.close());

const time = (id: string) => `/api/v1/items/${id}/time`;

describe('recording time spent on an item', () => {
  it('adds each entry to the item, with an event and an audit entry per entry', async () => {
    const item = await createItem(agent.client, { channel: 'email' });
    expect(item.handlingMinutes).toBeNull();

    const first = await agent.client.post(time(item.id), { minutes: 5 });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ id: item.id, handlingMinutes: 5, version: item.version + 1 });
    expect(first.headers.etag).toBe(`"${item.version + 1}"`);
    const second = await admin.client.post(time(item.id), { minutes: 1440 });
    expect(second.body.handlingMinutes).toBe(1445);
    expect((await agent.client.get(`/api/v1/items/${item.id}`)).body.handlingMinutes).toBe(1445);

    expect(await eventTypes(t, item.id)).toEqual(['created', 'time_recorded', 'time_recorded']);
    const events = await agent.client.get(`/api/v1/items/${item.id}/events`);
    expect(events.body.data.slice(1).map((e: any) => [e.actorId, e.data])).toEqual([
      [agent.user.id, { minutes: 5, totalMinutes: 5 }],
      [admin.user.id, { minutes: 1440, totalMinutes: 1445 }],
    ]);
    const audited = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'before', 'after'])
      .where('entity_id', '=', item.id)
      .where('action', '=', 'item.time_recorded')
      .orderBy('id')
      .execute();
    expect(audited.map((row) => [row.actor_id, row.before, row.after])).toEqual([
      [agent.user.id, { handlingMinutes: null }, { minutes: 5, totalMinutes: 5 }],
      [admin.user.id, { handlingMinutes: 5 }, { minutes: 1440, totalMinutes: 1445 }],
    ]);
  });

  it('refuses bad minutes with a 400 naming the field, and changes nothing', async () => {
    const item = await createItem(agent.client);
    for (const body of [
      {},
      { minutes: 0 },
      { minutes: -5 },
      { minutes: 2.5 },
      { minutes: '5' },
      { minutes: 1441 },
      { minutes: null },
    ]) {
      const response = await agent.client.post(time(item.id), body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.errors.map((e: any) => e.path)).toEqual(['body.minutes']);
    }
    const extra = await agent.client.post(time(item.id), { minutes: 5, note: 'call' });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body)).toContain('note');
    const after = (await agent.client.get(`/api/v1/items/${item.id}`)).body;
    expect(after).toMatchObject({ handlingMinutes: null, version: item.version });
    expect(await eventTypes(t, item.id)).toEqual(['created']);
  });

  it('404s for an item of another workspace or none, and needs a session', async () => {
    const item = await createItem(agent.client);
    const stranger = await signedInUser(t, 'admin');
    const response = await stranger.client.post(time(item.id), { minutes: 5 });
    expect(response.status).toBe(404);
    expect(
      (await stranger.client.put(time(item.id), { totalMinutes: 1, reason: 'x', version: 1 })).status,
    ).toBe(404);
    expect((await agent.client.post(time(newId()), { minutes: 5 })).status).toBe(404);
    expect((await t.client().post(time(item.id), { minutes: 5 })).status).toBe(401);
    expect((await agent.client.get(`/api/v1/items/${item.id}`)).body.handlingMinutes).toBeNull();
  });

  it('executives (who may act on items) can record time too', async () => {
    const item = await createItem(agent.client);
    const executive = await signedInUser(t, 'executive', admin.workspaceId);
    const response = await executive.client.post(time(item.id), { minutes: 15 });
    expect(response.status).toBe(200);
    expect(response.body.handlingMinutes).toBe(15);
  });

  it('counts every one of many entries made at the same time', async () => {
    const item = await createItem(agent.client);
    const entries = Array.from({ length: 12 }, (_, index) => index + 1); // 1 + 2 + … + 12 = 78
    const responses = await Promise.all(
      entries.map((minutes) => (minutes % 2 ? agent : admin).client.post(time(item.id), { minutes })),
    );
    expect(responses.map((r) => r.status)).toEqual(entries.map(() => 200));
    const after = (await agent.client.get(`/api/v1/items/${item.id}`)).body;
    expect(after.handlingMinutes).toBe(78);
    expect(after.version).toBe(item.version + 12);
    const totals = responses.map((r) => r.body.handlingMinutes).sort((a, b) => a - b);
    expect(totals.at(-1)).toBe(78);
    expect(new Set(totals).size).toBe(12);
  });

  it('honours If-Match: a stale version is a 409 and nothing is added', async () => {
    const item = await createItem(agent.client);
    const ok = await agent.client.post(time(item.id), { minutes: 5 }, { 'If-Match': `"${item.version}"` });
    expect(ok.status).toBe(200);
    const stale = await agent.client.post(time(item.id), { minutes: 5 }, { 'If-Match': `"${item.version}"` });
    expect(stale.status).toBe(409);
    expect((await agent.client.get(`/api/v1/items/${item.id}`)).body.handlingMinutes).toBe(5);
  });

  it('records time on a closed item too (a late call still costs)', async () => {
    const item = await createItem(agent.client);
    await act(agent.client, item.id, 'resolve', { resolution: 'Not a real request' });
    await act(agent.client, item.id, 'close', { reason: 'spam' });
    const response = await agent.client.post(time(item.id), { minutes: 3 });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'closed', handlingMinutes: 3 });
  });
});

describe('correcting the recorded time', () => {
  it('replaces the total with a reason and the version read; null clears it', async () => {
    const item = await createItem(agent.client);
    const recorded = (await agent.client.post(time(item.id), { minutes: 600 })).body;

    const noVersion = await agent.client.put(time(item.id), { totalMinutes: 60, reason: 'Typed 600 for 60' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.errors.map((e: any) => e.path)).toEqual(['body.version']);
    const noReason = await agent.client.put(time(item.id), { totalMinutes: 60, version: recorded.version });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors.map((e: any) => e.path)).toEqual(['body.reason']);
    const negative = await agent.client.put(time(item.id), {
      totalMinutes: -1,
      reason: 'x',
      version: recorded.version,
    });
    expect(negative.body.errors.map((e: any) => e.path)).toEqual(['body.totalMinutes']);
    const stale = await agent.client.put(time(item.id), {
      totalMinutes: 60,
      reason: 'Typed 600 for 60',
      version: item.version,
    });
    expect(stale.status).toBe(409);

    const corrected = await agent.client.put(time(item.id), {
      totalMinutes: 60,
      reason: 'Typed 600 for 60',
      version: recorded.version,
    });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
    expect(corrected.body.handlingMinutes).toBe(60);
    const cleared = await agent.client.put(
      time(item.id),
      { totalMinutes: null, reason: 'Logged on the wrong item' },
      { 'If-Match': `"${corrected.body.version}"` },
    );
    expect(cleared.status).toBe(200);
    expect(cleared.body.handlingMinutes).toBeNull();

    const events = (await agent.client.get(`/api/v1/items/${item.id}/events`)).body.data;
    expect(events.map((e: any) => [e.type, e.data])).toEqual([
      ['created', expect.anything()],
      ['time_recorded', { minutes: 600, totalMinutes: 600 }],
      ['time_corrected', { totalMinutes: 60, previousMinutes: 600, reason: 'Typed 600 for 60' }],
      ['time_corrected', { totalMinutes: null, previousMinutes: 60, reason: 'Logged on the wrong item' }],
    ]);
    const audited = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', item.id)
      .where('action', '=', 'item.time_corrected')
      .execute();
    expect(audited).toHaveLength(2);
  });

  it('refuses an entry that would pass the largest total, naming minutes', async () => {
    const item = await createItem(agent.client);
    const set = await agent.client.put(time(item.id), {
      totalMinutes: 1_000_000,
      reason: 'Import from the old system',
      version: item.version,
    });
    expect(set.status).toBe(200);
    const over = await agent.client.post(time(item.id), { minutes: 1 });
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([
      { path: 'body.minutes', message: expect.stringContaining('1,000,000') },
    ]);
  });
});

describe('recorded time in the cost metrics', () => {
  it('wins over the channel estimate: the cost changes by the hand-computed amount', async () => {
    const owner = await signedInUser(t, 'admin');
    const clerk = await signedInUser(t, 'agent', owner.workspaceId);
    // 60 an hour; email: 3 per contact, 10 minutes estimated; phone: 6 per contact, 20 minutes estimated.
    const settings = await owner.client.post('/api/v1/cost-settings', {
      effectiveFrom: '2020-01-01',
      currency: 'EUR',
      hourlyCost: 60,
      perContact: { email: 3, phone: 6 },
      handlingMinutes: { email: 10, phone: 20 },
    });
    expect(settings.status).toBe(201);
    const email = await createItem(clerk.client, { channel: 'email' });
    const phone = await createItem(clerk.client, { channel: 'phone' });
    const day = email.createdAt.slice(0, 10); // the workspace has no time zone set: UTC
    const cost = async () => {
      const response = await owner.client.get(
        `/api/v1/metrics/total_service_cost?from=${day}&to=${day}&interval=day`,
      );
      expect(response.status).toBe(200);
      return response.body.total.value;
    };
    const perRequest = async () =>
      (await owner.client.get(`/api/v1/metrics/cost_per_request?from=${day}&to=${day}&interval=day`)).body
        .total.value;

    // Estimates: email 10/60 × 60 + 3 = 13; phone 20/60 × 60 + 6 = 26.
    expect(await cost()).toBe(39);
    // 4 minutes recorded on the email replace its 10-minute estimate: 4 + 3 = 7 (not 13 + 4).
    await clerk.client.post(time(email.id), { minutes: 4 });
    expect(await cost()).toBe(33);
    // +21 minutes: 25 recorded, 25 + 3 = 28.
    await clerk.client.post(time(email.id), { minutes: 21 });
    expect(await cost()).toBe(54);
    // 90 minutes on the phone item: 90/60 × 60 + 6 = 96; per request (28 + 96) / 2 = 62.
    await clerk.client.post(time(phone.id), { minutes: 90 });
    expect(await cost()).toBe(124);
    expect(await perRequest()).toBe(62);
    // Clearing the email's record brings back its estimate: 13 + 96 = 109.
    const current = (await clerk.client.get(`/api/v1/items/${email.id}`)).body;
    await clerk.client.put(time(email.id), {
      totalMinutes: null,
      reason: 'Wrong item',
      version: current.version,
    });
    expect(await cost()).toBe(109);
  });
});
