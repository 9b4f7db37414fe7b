import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItemRecord } from '../../src/features/items/create.ts';
import { replyAddress } from '../../src/features/items/send.ts';
import { createItemInput } from '../../src/shared/listening.ts';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';
import { createItem, eventTypes, outboxTo } from './items-helpers.ts';

let t: TestApp;
let agent: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  agent = await signedInUser(t, 'agent');
});
afterAll(() => t.close());

async function post(client: Client, url: string, body: unknown) {
  const response = await client.post(url, body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

describe('creating an item', () => {
  it('needs only kind and subject; starts new and unowned, with a created event', async () => {
    const item = await createItem(agent.client, { subject: '  Vanilla ice cream  ' });
    expect(item).toMatchObject({
      kind: 'complaint',
      channel: 'phone',
      subject: 'Vanilla ice cream',
      status: 'new',
      ownerId: null,
      personId: null,
      priority: 'normal',
      escalationLevel: 'agent',
      createdBy: agent.user.id,
      version: 1,
      observations: [],
    });
    expect(item.ref).toBeGreaterThan(0);
    expect(await eventTypes(t, item.id)).toEqual(['created']);
  });

  it('matches the reporter to a person by any of their emails, and takes their organization', async () => {
    const org = await post(agent.client, '/api/v1/organizations', { name: 'Pontiac Motors' });
    const person = await post(agent.client, '/api/v1/people', {
      givenName: 'Eli',
      familyName: 'Engineer',
      organizationId: org.id,
      emails: [{ value: 'eli@work.example' }, { value: 'Eli.Home@Example.com' }],
    });
    const item = await createItem(agent.client, { reporterEmail: 'eli.home@example.com', acknowledge: true });
    expect(item).toMatchObject({ personId: person.id, personName: 'Eli Engineer', organizationId: org.id });
    // The acknowledgement answers the address they wrote from; given only the person, their primary one.
    expect(await outboxTo(t, 'eli.home@example.com')).toHaveLength(1);
    await createItem(agent.client, { personId: person.id, acknowledge: true });
    expect(await outboxTo(t, 'eli@work.example')).toHaveLength(1);
    const count = await t.database.db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('workspace_id', '=', agent.workspaceId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('creates a prospect for an unknown reporter, named after them or their email, audited', async () => {
    const named = await createItem(agent.client, {
      reporterEmail: 'new.driver@example.com',
      reporterName: 'Nora de Vries',
    });
    const person = (await agent.client.get(`/api/v1/people/${named.personId}`)).body;
    expect(person).toMatchObject({ givenName: 'Nora', familyName: 'de Vries', stage: 'prospect' });
    expect(person.emails).toEqual([{ value: 'new.driver@example.com', label: null, primary: true }]);
    const audited = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', named.personId)
      .execute();
    expect(audited.map((row) => row.action)).toEqual(['person.created']);

    const unnamed = await createItem(agent.client, { reporterEmail: 'quiet.one@example.com' });
    expect(unnamed.personName).toBe('quiet.one');
    const again = await createItem(agent.client, { reporterEmail: 'QUIET.ONE@example.com' });
    expect(again.personId).toBe(unnamed.personId);
  });

  it('does not match a deleted person', async () => {
    const person = await post(agent.client, '/api/v1/people', {
      givenName: 'Gone',
      emails: [{ value: 'gone@example.com' }],
    });
    await t.database.db
      .updateTable('people')
      .set({ deleted_at: new Date() })
      .where('id', '=', person.id)
      .execute();
    const item = await createItem(agent.client, { reporterEmail: 'gone@example.com' });
    expect(item.personId).not.toBe(person.id);
    expect(item.personId).not.toBeNull();
  });

  it('acknowledges by email with the reply address, which is not a first response', async () => {
    const item = await createItem(agent.client, {
      kind: 'question',
      subject: 'Opening hours',
      reporterEmail: 'asker@example.com',
      reporterName: 'Ada Asker',
      acknowledge: true,
    });
    expect(item).toMatchObject({ status: 'acknowledged', firstRespondedAt: null });
    expect(item.acknowledgedAt).not.toBeNull();
    const [mail, ...more] = await outboxTo(t, 'asker@example.com');
    expect(more).toHaveLength(0);
    const row = await t.database.db
      .selectFrom('items')
      .select('reply_token')
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(row.reply_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(mail).toMatchObject({
      reply_to: replyAddress(t.config, row.reply_token),
      subject: `We received Opening hours [#${item.ref}]`,
    });
    expect(mail!.text_body).toContain('Hello Ada Asker');
    expect(mail!.text_body).toContain('your question');
    expect(await eventTypes(t, item.id)).toEqual(['created', 'acknowledged']);
    const messages = await t.database.db
      .selectFrom('item_messages')
      .select(['kind', 'to_address'])
      .where('item_id', '=', item.id)
      .execute();
    expect(messages).toEqual([{ kind: 'outbound', to_address: 'asker@example.com' }]);
  });

  it('sends no acknowledgement when the template for the kind is disabled', async () => {
    await t.database.db
      .insertInto('message_templates')
      .values({
        workspace_id: agent.workspaceId,
        purpose: 'acknowledgement',
        kind: 'praise',
        enabled: false,
        subject: 's',
        body: 'b',
      })
      .execute();
    const item = await createItem(agent.client, {
      kind: 'praise',
      reporterEmail: 'happy@example.com',
      acknowledge: true,
    });
    expect(item.status).toBe('new');
    expect(await outboxTo(t, 'happy@example.com')).toHaveLength(0);
  });

  it('stores typed observations with their author', async () => {
    const item = await createItem(agent.client, {
      observations: [
        { key: 'flavour', value: 'vanilla' },
        { key: 'minutes_parked', value: 4 },
      ],
    });
    expect(item.observations).toEqual([
      expect.objectContaining({ key: 'flavour', type: 'text', value: 'vanilla', authorId: agent.user.id }),
      expect.objectContaining({ key: 'minutes_parked', type: 'number', value: 4 }),
    ]);
  });

  it("checks observations against the category's template, whatever the case of its id", async () => {
    const admin = await signedInUser(t, 'admin', agent.workspaceId);
    const category = await post(admin.client, '/api/v1/item-categories', {
      name: 'Flavours',
      observationTemplate: [
        { key: 'flavour', label: 'Flavour', type: 'choice', choices: ['vanilla', 'mint'] },
      ],
    });
    const categoryId = String(category.id).toUpperCase();
    const item = await createItem(agent.client, {
      categoryId,
      observations: [{ key: 'flavour', value: 'mint' }],
    });
    expect(item.categoryId).toBe(category.id);
    expect(item.observations).toEqual([
      expect.objectContaining({ key: 'flavour', type: 'choice', value: 'mint' }),
    ]);
    const refused = await agent.client.post('/api/v1/items', {
      kind: 'complaint',
      subject: 'Odd flavour',
      categoryId,
      observations: [{ key: 'flavour', value: 'chocolate' }],
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.errors).toEqual([
      { path: 'body.observations.0.value', message: expect.stringMatching(/vanilla, mint/) },
    ]);
  });

  it('refuses references to another workspace with field paths (422), and bad input (400)', async () => {
    const stranger = await signedInUser(t, 'admin');
    const theirPerson = await post(stranger.client, '/api/v1/people', { givenName: 'Theirs' });
    const theirOrg = await post(stranger.client, '/api/v1/organizations', { name: 'Theirs Inc' });
    const response = await agent.client.post('/api/v1/items', {
      kind: 'request',
      subject: 'x',
      personId: theirPerson.id,
      organizationId: theirOrg.id,
      categoryId: crypto.randomUUID(),
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([
      { path: 'body.personId', message: 'is not a person of this workspace.' },
      { path: 'body.organizationId', message: 'is not an organization of this workspace.' },
      { path: 'body.categoryId', message: 'is not an item category of this workspace.' },
    ]);
    const bad = await agent.client.post('/api/v1/items', { kind: 'rant', subject: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'body.kind',
      'body.subject',
    ]);
    const badObservation = await agent.client.post('/api/v1/items', {
      kind: 'request',
      subject: 'x',
      observations: [{ key: 'Bad Key', value: 1 }],
    });
    expect(badObservation.status).toBe(400);
  });
});

describe('createItemRecord (the inbound mail path)', () => {
  it('records the customer as the actor, threads the acknowledgement to their mail', async () => {
    const input = createItemInput.parse({
      kind: 'question',
      channel: 'email',
      subject: 'Where is my order',
      reporterEmail: 'mailer@example.com',
      reporterName: 'Mo Mailer',
    });
    const row = await t.database.db.transaction().execute((tx) =>
      createItemRecord(tx, t.deps, {
        workspaceId: agent.workspaceId,
        actor: { type: 'customer', id: null, userId: null },
        input,
        now: new Date(),
        source: { messageId: '<abc@mail.example>', fromAddress: 'mailer@example.com' },
      }),
    );
    expect(row).toMatchObject({ status: 'acknowledged', created_by: null });
    const events = (await agent.client.get(`/api/v1/items/${row.id}/events`)).body.data;
    expect(events[0]).toMatchObject({
      type: 'created',
      actorType: 'customer',
      actorId: row.person_id,
      actorName: 'Mo Mailer',
      data: { source: { messageId: '<abc@mail.example>', fromAddress: 'mailer@example.com' } },
    });
    const [mail] = await outboxTo(t, 'mailer@example.com');
    expect(mail!.headers).toMatchObject({ 'In-Reply-To': '<abc@mail.example>' });
    const audited = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_id'])
      .where('entity_id', '=', row.id)
      .execute();
    expect(audited).toEqual([{ actor_type: 'customer', actor_id: row.person_id }]);
  });
});

describe('changing an item', () => {
  it('needs the version, refuses a stale one, and records what changed', async () => {
    const item = await createItem(agent.client);
    const missing = await agent.client.patch(`/api/v1/items/${item.id}`, { priority: 'high' });
    expect(missing.status).toBe(400);
    const changed = await agent.client.patch(`/api/v1/items/${item.id}`, {
      priority: 'high',
      tags: ['fleet'],
      version: 1,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ priority: 'high', tags: ['fleet'], version: 2 });
    expect(changed.headers.etag).toBe('"2"');
    const stale = await agent.client.patch(
      `/api/v1/items/${item.id}`,
      { priority: 'low' },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(409);
    const events = (await agent.client.get(`/api/v1/items/${item.id}/events`)).body.data;
    expect(events.at(-1)).toMatchObject({
      type: 'updated',
      actorType: 'user',
      actorId: agent.user.id,
      actorName: agent.user.name,
      data: { priority: { from: 'normal', to: 'high' }, tags: { from: [], to: ['fleet'] } },
    });
  });

  it('refuses a team or category of another workspace', async () => {
    const item = await createItem(agent.client);
    const response = await agent.client.patch(`/api/v1/items/${item.id}`, {
      teamId: crypto.randomUUID(),
      version: 1,
    });
    expect(response.status).toBe(422);
    expect(response.body.errors[0].path).toBe('body.teamId');
  });
});

describe('the history', () => {
  it('lists every event oldest first, pages, and cannot be rewritten', async () => {
    const item = await createItem(agent.client);
    await agent.client.post(`/api/v1/items/${item.id}/take`);
    await agent.client.post(`/api/v1/items/${item.id}/note`, { body: 'Called the garage' });
    await agent.client.post(`/api/v1/items/${item.id}/resolve`, { resolution: 'New battery' });
    const all = (await agent.client.get(`/api/v1/items/${item.id}/events`)).body;
    expect(all.data.map((event: { type: string }) => event.type)).toEqual([
      'created',
      'taken',
      'note_added',
      'resolved',
    ]);
    expect(all.next).toBeNull();
    const first = (await agent.client.get(`/api/v1/items/${item.id}/events?limit=3`)).body;
    expect(first.data).toHaveLength(3);
    const rest = (await agent.client.get(`/api/v1/items/${item.id}/events?limit=3&after=${first.next}`)).body;
    expect(rest.data.map((event: { type: string }) => event.type)).toEqual(['resolved']);
    await expect(
      t.database.db
        .updateTable('item_events')
        .set({ type: 'forged' })
        .where('item_id', '=', item.id)
        .execute(),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.database.db.deleteFrom('item_events').where('item_id', '=', item.id).execute(),
    ).rejects.toThrow(/append-only/);
  });
});

describe('another workspace', () => {
  it('gets 404 on every item route with a real id', async () => {
    const item = await createItem(agent.client);
    const outsider = await signedInUser(t, 'admin');
    const base = `/api/v1/items/${item.id}`;
    const calls: [string, string, unknown][] = [
      ['GET', base, undefined],
      ['PATCH', base, { priority: 'low', version: 1 }],
      ['GET', `${base}/events`, undefined],
      ['POST', `${base}/take`, undefined],
      ['POST', `${base}/assign`, { userId: outsider.user.id }],
      ['POST', `${base}/escalate`, { level: 'lead', reason: 'x' }],
      ['POST', `${base}/note`, { body: 'x' }],
      ['POST', `${base}/resolve`, { resolution: 'x' }],
      ['POST', `${base}/inform`, { how: 'phone', summary: 'x' }],
      ['POST', `${base}/thank`, { how: 'phone' }],
      ['POST', `${base}/close`, { reason: 'x' }],
      ['POST', `${base}/reopen`, {}],
    ];
    for (const [method, url, body] of calls) {
      const response = await outsider.client.request(method as 'GET', url, body);
      expect(response.status, `${method} ${url}`).toBe(404);
    }
    const list = await outsider.client.get('/api/v1/items');
    expect(list.body.data).toEqual([]);
    const row = await t.database.db
      .selectFrom('items')
      .select('version')
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(row.version).toBe(1);
  });
});
