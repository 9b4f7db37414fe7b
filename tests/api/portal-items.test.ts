// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are checked field by field in tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { portalBase, portalCustomer, portalCustomerWithRecord } from './helpers/portal.ts';
import { act, eventTypes, outboxTo } from './items-helpers.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

const items = `${portalBase}/items`;

async function submit(client: any, body: Record<string, unknown>, status = 201) {
  const response = await client.post(items, body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response.body as any;
}

const itemRow = (id: string) =>
  t.database.db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('customers submit items through the portal', () => {
  it('creates a prospect record on the first submission, with channel portal and the acknowledgement mail', async () => {
    const { client } = await portalCustomer(t, admin.workspaceId, 'newbie@example.com');
    const item = await submit(client, {
      kind: 'complaint',
      subject: 'My parcel arrived broken',
      body: 'The box was crushed.',
    });
    expect(item).toMatchObject({
      kind: 'complaint',
      subject: 'My parcel arrived broken',
      body: 'The box was crushed.',
      status: 'acknowledged',
      statusLabel: 'Received',
      canRate: false,
      mergedInto: null,
    });
    const row = await itemRow(item.id);
    expect(row.channel).toBe('portal');
    expect(row.reporter_email).toBe('newbie@example.com');
    const person = await t.database.db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', row.person_id!)
      .executeTakeFirstOrThrow();
    expect(person.stage).toBe('prospect');
    expect(person.workspace_id).toBe(admin.workspaceId);
    const mails = await outboxTo(t, 'newbie@example.com');
    expect(mails.some((mail) => mail.entity === 'item' && mail.entity_id === item.id)).toBe(true);
    // The acknowledgement is part of the conversation the customer sees.
    expect(item.messages).toHaveLength(1);
    expect(item.messages[0]).toMatchObject({ from: 'staff', staffName: null, via: 'email' });
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_type', 'actor_id'])
      .where('entity_id', '=', item.id)
      .execute();
    expect(audit).toContainEqual({ action: 'item.created', actor_type: 'customer', actor_id: person.id });

    // The second submission reuses the record.
    const second = await submit(client, { kind: 'praise', subject: 'But the driver was kind' });
    expect((await itemRow(second.id)).person_id).toBe(person.id);
  });

  it('links an existing person record', async () => {
    const { client, personId } = await portalCustomerWithRecord(
      t,
      admin.client,
      admin.workspaceId,
      'Ana Known',
      'ana@example.com',
    );
    const item = await submit(client, { kind: 'question', subject: 'Opening hours?', body: 'On Sunday?' });
    expect((await itemRow(item.id)).person_id).toBe(personId);
    const people = await t.database.db
      .selectFrom('people')
      .select('id')
      .where('workspace_id', '=', admin.workspaceId)
      .where('display_name', 'like', 'Ana%')
      .execute();
    expect(people).toHaveLength(1);
  });

  it('stores nothing when the honeypot is filled in, but answers as if it did', async () => {
    const { client } = await portalCustomer(t, admin.workspaceId, 'bot@example.com');
    const answer = await submit(client, { kind: 'opinion', subject: 'Cheap pills', website: 'http://spam' });
    expect(answer).toEqual({ received: true });
    const rows = await t.database.db
      .selectFrom('items')
      .select('id')
      .where('subject', '=', 'Cheap pills')
      .execute();
    expect(rows).toHaveLength(0);
    expect(await outboxTo(t, 'bot@example.com')).toHaveLength(1); // the sign-in link only
  });

  it('refuses the same submission twice within 10 seconds (double submit), also when sent at once', async () => {
    const { client } = await portalCustomer(t, admin.workspaceId, 'double@example.com');
    const body = { kind: 'request', subject: 'Call me back', body: 'Please.' };
    const [a, b] = await Promise.all([client.post(items, body), client.post(items, body)]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const refused = a.status === 409 ? a : b;
    expect(refused.body.detail).toMatch(/already received/);
    expect(
      await t.database.db.selectFrom('items').select('id').where('subject', '=', 'Call me back').execute(),
    ).toHaveLength(1);
    // Different details are a new item; the same after 10 seconds too.
    await submit(client, { ...body, body: 'Please, after 5 pm.' });
    t.deps.clock = () => new Date(Date.now() + 11_000);
    try {
      await submit(client, body);
    } finally {
      t.deps.clock = undefined;
    }
  });
});

describe('customers follow their items', () => {
  it('lists their own items newest first, by status, page by page', async () => {
    const { client } = await portalCustomer(t, admin.workspaceId, 'lister@example.com');
    const first = await submit(client, { kind: 'question', subject: 'One' });
    const second = await submit(client, { kind: 'question', subject: 'Two' });
    const third = await submit(client, { kind: 'question', subject: 'Three' });
    await act(admin.client, second.id, 'resolve', { resolution: 'Answered on the phone.' });

    const page1 = await client.get(`${items}?limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((item: any) => item.subject)).toEqual(['Three', 'Two']);
    const page2 = await client.get(`${items}?limit=2&after=${page1.body.next}`);
    expect(page2.body.data.map((item: any) => item.id)).toEqual([first.id]);
    expect(page2.body.next).toBeNull();

    const open = await client.get(`${items}?status=open`);
    expect(open.body.data.map((item: any) => item.id)).toEqual([third.id, first.id]);
    const closed = await client.get(`${items}?status=closed`);
    expect(closed.body.data).toMatchObject([{ id: second.id, status: 'resolved', statusLabel: 'Resolved' }]);

    const nobody = await portalCustomer(t, admin.workspaceId, 'nothing-yet@example.com');
    expect((await nobody.client.get(items)).body).toEqual({ data: [], next: null });
  });

  it('shows the conversation without notes, internal events or staff-only fields', async () => {
    const { client } = await portalCustomer(t, admin.workspaceId, 'reader@example.com');
    const item = await submit(client, { kind: 'complaint', subject: 'Cold soup', body: 'It was cold.' });
    await act(admin.client, item.id, 'take', undefined);
    await act(admin.client, item.id, 'note', { body: 'SECRET-NOTE: this customer complains a lot' });
    const replied = await admin.client.post(`/api/v1/items/${item.id}/reply`, {
      body: 'Sorry, we will refund it.',
    });
    expect(replied.status, JSON.stringify(replied.body)).toBe(201);

    const detail = await client.get(`${items}/${item.id}`);
    expect(detail.status).toBe(200);
    const text = JSON.stringify(detail.body);
    expect(text).not.toContain('SECRET-NOTE');
    expect(text).not.toContain(admin.user.email);
    for (const field of ['ownerId', 'priority', 'tags', 'escalationLevel', 'replyToken', 'events']) {
      expect(detail.body).not.toHaveProperty(field);
    }
    const staffFirstName = admin.user.name.split(' ')[0];
    expect(detail.body.messages.map((m: any) => [m.from, m.staffName, m.body])).toEqual([
      ['staff', null, expect.any(String)],
      ['staff', staffFirstName, 'Sorry, we will refund it.'],
    ]);
    expect(detail.body.firstRespondedAt).not.toBeNull();
    expect(detail.body.resolution).toBeNull();
  });

  it('replies resume a waiting item, reopen a closed one, notify the owner, and staff see them', async () => {
    const { client } = await portalCustomer(t, admin.workspaceId, 'talker@example.com');
    const item = await submit(client, { kind: 'request', subject: 'New address', body: 'Please update it.' });
    await act(admin.client, item.id, 'take', undefined);
    await admin.client.post(`/api/v1/items/${item.id}/reply`, { body: 'Which one?', waitOnCustomer: true });
    expect((await itemRow(item.id)).status).toBe('waiting_on_customer');

    const answer = await client.post(`${items}/${item.id}/messages`, { body: '12 Main Street.' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({ status: 'in_progress', statusLabel: 'Being worked on' });
    expect(answer.body.messages.at(-1)).toMatchObject({
      from: 'customer',
      via: 'portal',
      body: '12 Main Street.',
    });
    const message = await t.database.db
      .selectFrom('item_messages')
      .selectAll()
      .where('item_id', '=', item.id)
      .where('body_text', '=', '12 Main Street.')
      .executeTakeFirstOrThrow();
    expect(message).toMatchObject({ kind: 'inbound', via: 'portal', from_address: 'talker@example.com' });
    expect(message.person_id).toBe((await itemRow(item.id)).person_id);
    expect(await eventTypes(t, item.id)).toEqual(
      expect.arrayContaining(['customer_replied', 'status_changed']),
    );
    const notes = await t.database.db
      .selectFrom('notifications')
      .selectAll()
      .where('item_id', '=', item.id)
      .where('type', '=', 'customer_reply')
      .execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]!.user_id).toBe(admin.user.id);

    const staffView = await admin.client.get(`/api/v1/items/${item.id}/messages`);
    expect(staffView.status).toBe(200);
    expect(staffView.body.data.map((m: any) => m.bodyText ?? m.body)).toContain('12 Main Street.');

    await act(admin.client, item.id, 'resolve', { resolution: 'Address updated.' });
    await act(admin.client, item.id, 'close', { reason: 'Customer told in person.' });
    const again = await client.post(`${items}/${item.id}/messages`, { body: 'It is still the old one!' });
    expect(again.status).toBe(201);
    expect(again.body.status).toBe('reopened');
    const row = await itemRow(item.id);
    expect(row).toMatchObject({ status: 'reopened', reopened_count: 1, closed_at: null });
  });

  it('rates only after resolution, can change the rating, and staff see it', async () => {
    const { client } = await portalCustomer(t, admin.workspaceId, 'rater@example.com');
    const item = await submit(client, { kind: 'complaint', subject: 'Late train' });
    const early = await client.post(`${items}/${item.id}/rating`, { rating: 4 });
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/once it is resolved/);

    await act(admin.client, item.id, 'resolve', { resolution: 'Refunded the ticket.' });
    const rated = await client.post(`${items}/${item.id}/rating`, { rating: 2, comment: 'Took ages.' });
    expect(rated.status, JSON.stringify(rated.body)).toBe(200);
    expect(rated.body).toMatchObject({
      rating: 2,
      ratingComment: 'Took ages.',
      resolution: 'Refunded the ticket.',
      canRate: true,
    });
    const changed = await client.post(`${items}/${item.id}/rating`, { rating: 5 });
    expect(changed.body).toMatchObject({ rating: 5, ratingComment: null });
    expect(await eventTypes(t, item.id)).toEqual(expect.arrayContaining(['rated']));
    const audits = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_type'])
      .where('entity_id', '=', item.id)
      .where('action', '=', 'item.rated')
      .execute();
    expect(audits).toEqual([
      { action: 'item.rated', actor_type: 'customer' },
      { action: 'item.rated', actor_type: 'customer' },
    ]);
    const staff = await admin.client.get(`/api/v1/items/${item.id}`);
    expect(staff.body).toMatchObject({ rating: 5, ratingComment: null });
    expect(staff.body.ratedAt).not.toBeNull();
  });

  it('follows a duplicate merged into another item through the surviving item', async () => {
    const { client } = await portalCustomer(t, admin.workspaceId, 'dupe@example.com');
    const other = await portalCustomer(t, admin.workspaceId, 'other-reporter@example.com');
    const survivor = await submit(other.client, {
      kind: 'complaint',
      subject: 'Broken lift',
      body: 'OTHER-BODY',
    });
    const mine = await submit(client, { kind: 'complaint', subject: 'The lift is broken' });
    const merged = await admin.client.post(`/api/v1/items/${survivor.id}/merge`, { otherId: mine.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);

    const list = await client.get(items);
    expect(list.body.data[0]).toMatchObject({
      id: mine.id,
      status: 'acknowledged',
      mergedInto: { ref: survivor.ref, id: null },
    });
    // A reply goes on to the surviving item; the other customer's text stays hidden.
    const reply = await client.post(`${items}/${mine.id}/messages`, { body: 'Any news?' });
    expect(reply.status).toBe(201);
    const onSurvivor = await t.database.db
      .selectFrom('item_messages')
      .select('item_id')
      .where('body_text', '=', 'Any news?')
      .executeTakeFirstOrThrow();
    expect(onSurvivor.item_id).toBe(survivor.id);
    expect(reply.body.messages.map((m: any) => m.body)).toContain('Any news?');
    expect(JSON.stringify(reply.body)).not.toContain('OTHER-BODY');
    expect((await other.client.get(`${items}/${mine.id}`)).status).toBe(404);

    await act(admin.client, survivor.id, 'resolve', { resolution: 'Lift repaired.' });
    const detail = await client.get(`${items}/${mine.id}`);
    expect(detail.body).toMatchObject({ status: 'resolved', resolution: 'Lift repaired.', canRate: true });
    const rated = await client.post(`${items}/${mine.id}/rating`, { rating: 3 });
    expect(rated.status).toBe(200);
    expect((await itemRow(mine.id)).rating).toBe(3);
    expect((await itemRow(survivor.id)).rating).toBeNull();
  });
  it("links a duplicate to the customer's own surviving item, whose conversation includes the duplicate's", async () => {
    const { client } = await portalCustomer(t, admin.workspaceId, 'twice@example.com');
    const first = await submit(client, { kind: 'request', subject: 'Refund please' });
    const again = await submit(client, { kind: 'request', subject: 'Refund, again' });
    const reply = await client.post(`${items}/${again.id}/messages`, { body: 'Said it twice.' });
    expect(reply.status).toBe(201);
    const merged = await admin.client.post(`/api/v1/items/${first.id}/merge`, { otherId: again.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);

    const duplicate = await client.get(`${items}/${again.id}`);
    expect(duplicate.body.mergedInto).toEqual({ ref: first.ref, id: first.id });
    const survivor = await client.get(`${items}/${first.id}`);
    expect(survivor.body.mergedInto).toBeNull();
    expect(survivor.body.messages.map((m: any) => m.body)).toContain('Said it twice.');
  });
});
